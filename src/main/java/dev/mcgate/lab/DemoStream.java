package dev.mcgate.lab;

import dev.mcgate.net.Ip4;
import dev.mcgate.net.Ip6;
import dev.mcgate.net.IpAddress;
import dev.mcgate.net.IpFamily;
import dev.mcgate.packet.DataFrameView;
import dev.mcgate.packet.Ipv6DataFrameView;
import dev.mcgate.packet.LinkType;

/**
 * The stream {@code lab demo} sends, in one family: the group, the source host's address it is sent from, and whether
 * receivers join it source-specific (SSM, RFC 4607) or from any source.
 */
public record DemoStream(IpAddress group, IpAddress source, boolean sourceSpecific) {

    private static final int UDP = 17;

    /** IPv4: the lab's any-source group 239.1.1.1 (the kernel hosts speak IGMPv3). */
    public static DemoStream ipv4() {
        return new DemoStream(LabTopology.GROUP, LabTopology.SOURCE_LINK.hostAddress(), false);
    }

    /**
     * IPv6: an SSM group of global scope (ff3e::/32, as IPTV over IPv6 uses ff3x::), joined (S,G) with MLDv2 from
     * the source's unique local address: the join that an ASM group would not show, and a scope mcgate forwards.
     */
    public static DemoStream ipv6() {
        return new DemoStream(Ip6.parse("ff3e::1:1"), LabTopology.SOURCE_LINK.hostAddress6(), true);
    }

    public DemoStream {
        if (group.family() != source.family()) {
            throw new IllegalArgumentException("group " + group + " and source " + source + " differ in family");
        }
    }

    public IpFamily family() {
        return group.family();
    }

    /** What the IP header field the demo shows is called in this family. */
    public String hopField() {
        return family() == IpFamily.IPV4 ? "TTL" : "hop limit";
    }

    /** group:port as an operator writes it ([ff3e::1:1]:5001 for IPv6). */
    public String socketText(int port) {
        return (family() == IpFamily.IPV4 ? group.toString() : "[" + group + "]") + ":" + port;
    }

    /** The join, as the demo announces it: "G" or "(S, G)". */
    public String joinText() {
        return sourceSpecific ? "(" + source + ", " + group + ")" : group.toString();
    }

    /**
     * Recognises the stream's datagrams among the frames captured on a receiver's LAN: what mcgate forwards there,
     * whether or not the receiver's socket takes it. One per capture thread (the views are reused).
     */
    public Matcher matcher() {
        return new Matcher(group);
    }

    /** One capture thread's test for "a UDP datagram to the group", in the group's family. */
    public static final class Matcher {
        private final IpAddress group;
        private final DataFrameView ipv4 = new DataFrameView();
        private final Ipv6DataFrameView ipv6 = new Ipv6DataFrameView();

        private Matcher(IpAddress group) {
            this.group = group;
        }

        public boolean matches(byte[] frame, int length, LinkType linkType) {
            if (group instanceof Ip4 g4) {
                DataFrameView v = ipv4.wrap(frame, length, linkType);
                return v.isValid() && v.protocol() == UDP && v.destinationBits() == g4.bits();
            }
            Ipv6DataFrameView v = ipv6.wrap(frame, length, linkType);
            return v.isValid()
                    && v.upperLayerProtocol() == UDP
                    && v.destination().equals(group);
        }
    }
}
