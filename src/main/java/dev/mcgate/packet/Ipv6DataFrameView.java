package dev.mcgate.packet;

import dev.mcgate.net.Ip6;

/**
 * A reusable, allocation-free, read-only view over one captured frame carrying IPv6, for the forwarding path: the fixed
 * header's fields and the upper-layer protocol found by walking the extension headers (RFC 8200 §4).
 *
 * <p>One instance per capture thread; {@link #wrap} points it at the next frame. Every accessor other than {@link
 * #isIpv6()} and {@link #isValid()} assumes {@code isIpv6()} is true.
 */
public final class Ipv6DataFrameView {

    /** {@link #upperLayerProtocol()} when the extension headers run past the payload. */
    public static final int MALFORMED_CHAIN = -1;

    private static final int NEXT_HEADER_ROUTING = 43;
    private static final int NEXT_HEADER_AUTHENTICATION = 51;
    private static final int NEXT_HEADER_DESTINATION_OPTIONS = 60;
    private static final int NEXT_HEADER_MOBILITY = 135;
    private static final int NEXT_HEADER_HIP = 139;
    private static final int NEXT_HEADER_SHIM6 = 140;

    private byte[] frame;
    private int length;
    private LinkType linkType;
    /** Offset of the IPv6 header, or -1 if the frame does not carry one. */
    private int ip = -1;
    /** Offset of the upper-layer header, and its protocol, once the chain has been walked (-1: not yet). */
    private int upperLayer = -1;

    private int upperLayerProtocol;
    private boolean fragment;
    /** The Fragment header's offset-and-flags word (offset × 8 in the top 13 bits, M in bit 0), if {@link #fragment}. */
    private int fragmentWord;
    /** Where the fragment's data starts (right after its Fragment header), if {@link #fragment}. */
    private int fragmentData;

    /** Points the view at the first {@code length} octets of {@code frame}; never throws for malformed contents. */
    public Ipv6DataFrameView wrap(byte[] frame, int length, LinkType linkType) {
        this.frame = frame;
        this.length = Math.min(length, frame.length);
        this.linkType = linkType;
        this.upperLayer = -1;
        int at = EthernetHeader.ipOffset(frame, this.length, linkType, EthernetHeader.ETHERTYPE_IPV6);
        this.ip = at >= 0 && this.length - at >= Ipv6Header.LENGTH && (frame[at] & 0xf0) == 0x60 ? at : -1;
        return this;
    }

    /** The frame carries an IPv6 header (EtherType 0x86dd, version 6, at least 40 octets captured). */
    public boolean isIpv6() {
        return ip >= 0;
    }

    /** IPv6 with a non-zero payload length (no jumbograms) that fits the captured octets. */
    public boolean isValid() {
        if (ip < 0) {
            return false;
        }
        int payloadLength = payloadLength();
        return payloadLength > 0 && ip + Ipv6Header.LENGTH + payloadLength <= length;
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

    /** 802.1Q VLAN id, or -1 for an untagged or raw-IP frame. */
    public int vlanId() {
        return ip == EthernetHeader.TAGGED_LENGTH ? Bytes.u16(frame, 14) & 0xfff : -1;
    }

    public int trafficClass() {
        return (Bytes.u16(frame, ip) >>> 4) & 0xff;
    }

    public int payloadLength() {
        return Bytes.u16(frame, ip + 4);
    }

    /** The Next Header field of the fixed header (0 if a Hop-by-Hop header follows). */
    public int nextHeader() {
        return frame[ip + 6] & 0xff;
    }

    public int hopLimit() {
        return frame[ip + 7] & 0xff;
    }

    public long sourceHigh() {
        return Ip6.readLong(frame, ip + 8);
    }

    public long sourceLow() {
        return Ip6.readLong(frame, ip + 16);
    }

    public long destinationHigh() {
        return Ip6.readLong(frame, ip + 24);
    }

    public long destinationLow() {
        return Ip6.readLong(frame, ip + 32);
    }

    public Ip6 source() {
        return Ip6.fromBytes(frame, ip + 8);
    }

    public Ip6 destination() {
        return Ip6.fromBytes(frame, ip + 24);
    }

    /** ff00::/8 (no allocation). */
    public boolean isMulticastDestination() {
        return (frame[ip + 24] & 0xff) == 0xff;
    }

    /**
     * The protocol of the upper-layer header after the extension headers (17 for UDP; 59 for No Next Header; 50 for ESP,
     * which cannot be looked into), or {@link #MALFORMED_CHAIN}; meaningful on a {@link #isValid() valid} view.
     */
    public int upperLayerProtocol() {
        walkChain();
        return upperLayerProtocol;
    }

    /** Where the upper-layer header starts in the frame; meaningless if {@link #upperLayerProtocol()} is malformed. */
    public int upperLayerOffset() {
        walkChain();
        return upperLayer;
    }

    /** A Fragment header was on the chain: the packet is one fragment of a larger one. */
    public boolean isFragment() {
        walkChain();
        return fragment;
    }

    /** The fragment's offset in octets (RFC 8200 §4.5); 0 when not a fragment. */
    public int fragmentOffset() {
        walkChain();
        return fragment ? fragmentWord & 0xfff8 : 0;
    }

    /**
     * Where the fragment's data starts in the frame: right after the Fragment header (RFC 8200 §4.5: the
     * unfragmentable part precedes it); meaningful only if {@link #isFragment()}.
     */
    public int fragmentDataOffset() {
        walkChain();
        return fragmentData;
    }

    /** The Fragment header's M flag: more fragments follow. */
    public boolean moreFragments() {
        walkChain();
        return fragment && (fragmentWord & 1) != 0;
    }

    /**
     * Hop Limit - 1, in place. IPv6 has no header checksum, and the upper-layer checksums' pseudo-header (RFC 8200
     * §8.1) holds no hop limit, so nothing else changes. The caller has checked that the hop limit is above 1.
     */
    public void decrementHopLimit() {
        int hopLimit = hopLimit();
        if (hopLimit == 0) {
            throw new IllegalStateException("hop limit is already 0");
        }
        frame[ip + 7] = (byte) (hopLimit - 1);
    }

    /**
     * RFC 8200 §4: every extension header but Fragment (8 octets) and Authentication (RFC 4302 §2.2: (len + 2) × 4
     * octets) gives its length as (Hdr Ext Len + 1) × 8; each names the next.
     */
    private void walkChain() {
        if (upperLayer >= 0) {
            return;
        }
        // Bounded by the captured octets too, so that a view that is not valid still reads nothing past the frame.
        int end = Math.min(ip + Ipv6Header.LENGTH + payloadLength(), length);
        int at = ip + Ipv6Header.LENGTH;
        int next = nextHeader();
        fragment = false;
        fragmentData = -1;
        while (true) {
            int headerLength;
            switch (next) {
                case Ipv6Header.NEXT_HEADER_HOP_BY_HOP,
                        NEXT_HEADER_ROUTING,
                        NEXT_HEADER_DESTINATION_OPTIONS,
                        NEXT_HEADER_MOBILITY,
                        NEXT_HEADER_HIP,
                        NEXT_HEADER_SHIM6 -> headerLength = at + 2 <= end ? 8 * ((frame[at + 1] & 0xff) + 1) : -1;
                case Ipv6Header.NEXT_HEADER_FRAGMENT -> {
                    headerLength = 8;
                    fragment = true;
                    fragmentWord = at + 4 <= end ? Bytes.u16(frame, at + 2) : 0;
                }
                case NEXT_HEADER_AUTHENTICATION -> headerLength = at + 2 <= end ? 4 * ((frame[at + 1] & 0xff) + 2) : -1;
                default -> {
                    upperLayer = at;
                    upperLayerProtocol = next;
                    return;
                }
            }
            if (headerLength < 0 || at + headerLength > end) {
                upperLayer = at;
                upperLayerProtocol = MALFORMED_CHAIN;
                return;
            }
            next = frame[at] & 0xff;
            at += headerLength;
            if (fragment && fragmentData < 0) {
                fragmentData = at;
                if ((fragmentWord & 0xfff8) != 0) {
                    // A later fragment: what follows is the middle of the fragmentable part, not headers.
                    upperLayer = at;
                    upperLayerProtocol = next;
                    return;
                }
            }
        }
    }
}
