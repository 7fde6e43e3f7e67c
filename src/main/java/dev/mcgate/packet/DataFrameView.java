package dev.mcgate.packet;

import dev.mcgate.net.Ip4;
import dev.mcgate.net.MacAddress;

/**
 * A reusable, allocation-free view over one captured frame for the forwarding path: reads the IPv4 header fields in place
 * and rewrites the frame for the next hop (source MAC, TTL - 1, incremental header checksum).
 *
 * <p>One instance per capture thread; {@link #wrap} points it at the next frame. Every accessor other than {@link #isIpv4()}
 * and {@link #isValid()} assumes {@code isIpv4()} is true.
 */
public final class DataFrameView {

    private static final int TTL_PROTOCOL_WORD = 8;
    private static final int CHECKSUM = 10;

    private byte[] frame;
    private int length;
    private LinkType linkType;
    /** Offset of the IPv4 header, or -1 if the frame does not carry one. */
    private int ip = -1;

    /** Points the view at the first {@code length} octets of {@code frame}; never throws for malformed contents. */
    public DataFrameView wrap(byte[] frame, int length, LinkType linkType) {
        this.frame = frame;
        this.length = Math.min(length, frame.length);
        this.linkType = linkType;
        this.ip = locateIpv4();
        return this;
    }

    private int locateIpv4() {
        int at = EthernetHeader.ipOffset(frame, length, linkType, EthernetHeader.ETHERTYPE_IPV4);
        if (at < 0 || length - at < Ipv4Header.MIN_LENGTH || (frame[at] & 0xf0) != 0x40) {
            return -1;
        }
        return at;
    }

    /** The frame carries an IPv4 header (EtherType 0x0800, version 4, at least 20 octets captured). */
    public boolean isIpv4() {
        return ip >= 0;
    }

    /** IPv4 with a sane IHL, total length within the captured octets, and a header checksum that verifies. */
    public boolean isValid() {
        if (ip < 0) {
            return false;
        }
        int headerLength = headerLength();
        int totalLength = totalLength();
        return headerLength >= Ipv4Header.MIN_LENGTH
                && totalLength >= headerLength
                && ip + totalLength <= length
                && InternetChecksum.verify(frame, ip, headerLength);
    }

    public LinkType linkType() {
        return linkType;
    }

    public byte[] frame() {
        return frame;
    }

    public int length() {
        return length;
    }

    public int ipOffset() {
        return ip;
    }

    public int headerLength() {
        return 4 * (frame[ip] & 0xf);
    }

    public int totalLength() {
        return Bytes.u16(frame, ip + 2);
    }

    public int tos() {
        return frame[ip + 1] & 0xff;
    }

    public int ttl() {
        return frame[ip + 8] & 0xff;
    }

    public int protocol() {
        return frame[ip + 9] & 0xff;
    }

    public int headerChecksum() {
        return Bytes.u16(frame, ip + CHECKSUM);
    }

    /** MF set or a non-zero fragment offset. */
    public boolean isFragment() {
        return (Bytes.u16(frame, ip + 6) & 0x3fff) != 0;
    }

    /** The source address as raw bits (no allocation); {@link #source()} wraps it. */
    public int sourceBits() {
        return Bytes.i32(frame, ip + 12);
    }

    public int destinationBits() {
        return Bytes.i32(frame, ip + 16);
    }

    public Ip4 source() {
        return new Ip4(sourceBits());
    }

    public Ip4 destination() {
        return new Ip4(destinationBits());
    }

    /** 802.1Q VLAN id, or -1 for an untagged or raw-IP frame. */
    public int vlanId() {
        return ip == EthernetHeader.TAGGED_LENGTH ? Bytes.u16(frame, 14) & 0xfff : -1;
    }

    /** Destination MAC as 48 bits; Ethernet frames only. */
    public long destinationMacBits() {
        requireEthernet();
        return MacAddress.read(frame, 0);
    }

    public long sourceMacBits() {
        requireEthernet();
        return MacAddress.read(frame, 6);
    }

    /** Writes our interface's MAC as the source of an Ethernet frame about to be sent. */
    public void setSourceMac(MacAddress mac) {
        requireEthernet();
        mac.writeTo(frame, 6);
    }

    public void setDestinationMac(MacAddress mac) {
        requireEthernet();
        mac.writeTo(frame, 0);
    }

    /**
     * TTL - 1 with the header checksum updated by RFC 1624 eqn. 3, HC' = ~(~HC + ~m + m'), where m is the 16-bit word
     * holding TTL and Protocol. The caller has checked that the TTL is above its threshold (so above 0).
     */
    public void decrementTtl() {
        int at = ip + TTL_PROTOCOL_WORD;
        int oldWord = Bytes.u16(frame, at);
        int newWord = oldWord - 0x100;
        if (newWord < 0) {
            throw new IllegalStateException("TTL is already 0");
        }
        frame[at] = (byte) (newWord >>> 8);
        Bytes.put16(frame, ip + CHECKSUM, InternetChecksum.update(headerChecksum(), oldWord, newWord));
    }

    private void requireEthernet() {
        if (linkType != LinkType.ETHERNET) {
            throw new IllegalStateException("a raw-IP frame has no MAC addresses");
        }
    }
}
