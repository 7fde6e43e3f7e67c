package dev.mcgate.packet;

import static dev.mcgate.packet.Bytes.put16;
import static dev.mcgate.packet.Bytes.u16;

import dev.mcgate.net.MacAddress;
import dev.mcgate.packet.MalformedPacketException.Reason;
import java.util.Objects;

/**
 * An Ethernet II header with at most one IEEE 802.1Q tag.
 *
 * @param vlanTci the tag control information (PCP, DEI, VLAN id) of the 802.1Q tag, or {@link #NO_VLAN}
 * @param etherType the type of the payload (after the tag, if any)
 */
public record EthernetHeader(MacAddress destination, MacAddress source, int vlanTci, int etherType) {

    public static final int NO_VLAN = -1;
    public static final int ETHERTYPE_IPV4 = 0x0800;
    public static final int ETHERTYPE_IPV6 = 0x86dd;
    public static final int ETHERTYPE_VLAN = 0x8100;
    public static final int LENGTH = 14;
    public static final int TAGGED_LENGTH = 18;
    /** {@link #headerLength}: fewer octets than the header needs. */
    static final int SHORT = -1;
    /** {@link #headerLength} and {@link #ipOffset}: more than one 802.1Q tag, or (ipOffset) another EtherType. */
    static final int OTHER = -2;

    public EthernetHeader {
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(source, "source");
        if (vlanTci < NO_VLAN || vlanTci > 0xffff) {
            throw new IllegalArgumentException("VLAN TCI " + vlanTci);
        }
        if (etherType < 0 || etherType > 0xffff || etherType == ETHERTYPE_VLAN) {
            throw new IllegalArgumentException("EtherType " + etherType);
        }
    }

    public static EthernetHeader untagged(MacAddress destination, MacAddress source, int etherType) {
        return new EthernetHeader(destination, source, NO_VLAN, etherType);
    }

    public boolean isTagged() {
        return vlanTci != NO_VLAN;
    }

    /** The 12-bit VLAN id, or -1 if untagged. */
    public int vlanId() {
        return isTagged() ? vlanTci & 0xfff : NO_VLAN;
    }

    public int length() {
        return isTagged() ? TAGGED_LENGTH : LENGTH;
    }

    public static EthernetHeader decode(byte[] b, int length) throws MalformedPacketException {
        int headerLength = headerLength(b, length);
        if (headerLength == SHORT) {
            throw new MalformedPacketException(
                    Reason.TRUNCATED, (length < LENGTH ? "Ethernet" : "802.1Q") + " header in " + length + " octets");
        }
        if (headerLength == OTHER) {
            throw new MalformedPacketException(Reason.NOT_IPV4, "more than one 802.1Q tag");
        }
        return read(b, headerLength);
    }

    /**
     * The length of the Ethernet header at the start of the frame (14, or 18 with one 802.1Q tag), {@link #SHORT}, or
     * {@link #OTHER} for a second tag (QinQ), which mcgate does not carry. Shared by the frame decoders and the
     * data-frame views of both families, so that they agree on what a frame is.
     */
    static int headerLength(byte[] b, int length) {
        if (length < LENGTH) {
            return SHORT;
        }
        if (u16(b, 12) != ETHERTYPE_VLAN) {
            return LENGTH;
        }
        if (length < TAGGED_LENGTH) {
            return SHORT;
        }
        return u16(b, 16) == ETHERTYPE_VLAN ? OTHER : TAGGED_LENGTH;
    }

    /**
     * Where the network header of a frame starts if the frame carries {@code etherType} (0 on a raw-IP link), else
     * {@link #SHORT} or {@link #OTHER}. Never throws: the data path calls it for every frame.
     */
    static int ipOffset(byte[] b, int length, LinkType linkType, int etherType) {
        if (linkType == LinkType.RAW_IP) {
            return 0;
        }
        int headerLength = headerLength(b, length);
        if (headerLength < 0) {
            return headerLength;
        }
        return u16(b, headerLength - 2) == etherType ? headerLength : OTHER;
    }

    /** The header of {@code headerLength} octets (as {@link #headerLength} found it) at the start of the frame. */
    static EthernetHeader read(byte[] b, int headerLength) {
        MacAddress destination = MacAddress.fromBytes(b, 0);
        MacAddress source = MacAddress.fromBytes(b, 6);
        return headerLength == TAGGED_LENGTH
                ? new EthernetHeader(destination, source, u16(b, 14), u16(b, 16))
                : new EthernetHeader(destination, source, NO_VLAN, u16(b, 12));
    }

    public int writeTo(byte[] b, int offset) {
        destination.writeTo(b, offset);
        source.writeTo(b, offset + 6);
        if (isTagged()) {
            put16(b, offset + 12, ETHERTYPE_VLAN);
            put16(b, offset + 14, vlanTci);
            put16(b, offset + 16, etherType);
        } else {
            put16(b, offset + 12, etherType);
        }
        return length();
    }
}
