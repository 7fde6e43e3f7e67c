package dev.mcgate.io;

import dev.mcgate.net.Ip4;
import dev.mcgate.net.Ip4Prefix;
import dev.mcgate.net.Ip6;
import dev.mcgate.net.Ip6Prefix;
import dev.mcgate.net.MacAddress;
import java.util.List;
import java.util.Optional;

/**
 * What mcgate knows of one network interface at one moment: a value, replaced as a whole when the interface changes.
 *
 * @param name the kernel's interface name
 * @param index the kernel's ifindex (pcap has none; it comes from the OS)
 * @param mac the hardware address, or empty for raw-IP interfaces (tun, GRE, WireGuard)
 * @param addresses the interface's IPv4 addresses with the prefix of their subnet
 * @param mtu the interface MTU in bytes
 * @param flags the interface state flags
 * @param ipv6 the interface's IPv6 addresses (link-local ones included) with their prefixes, in address order
 */
public record NetInterface(
        String name,
        int index,
        Optional<MacAddress> mac,
        List<InterfaceAddress> addresses,
        int mtu,
        Flags flags,
        List<Address6> ipv6) {

    /** An interface without IPv6 addresses. */
    public NetInterface(
            String name, int index, Optional<MacAddress> mac, List<InterfaceAddress> addresses, int mtu, Flags flags) {
        this(name, index, mac, addresses, mtu, flags, List.of());
    }

    /**
     * One IPv6 address on an interface and the on-link prefix it belongs to.
     *
     * @param tentative whether the kernel has not finished Duplicate Address Detection on it (or it failed): the
     *                  address is not the interface's yet and must not be a source (RFC 4862 §5.4)
     */
    public record Address6(Ip6 address, Ip6Prefix prefix, boolean tentative) {

        /** An address in use (DAD done, or not run). */
        public static Address6 of(Ip6 address, int prefixLength) {
            return new Address6(address, Ip6Prefix.containing(address, prefixLength), false);
        }

        /** This address with DAD still to finish ({@code true}) or finished. */
        public Address6 tentative(boolean stillTentative) {
            return new Address6(address, prefix, stillTentative);
        }

        @Override
        public String toString() {
            return address + "/" + prefix.length() + (tentative ? " tentative" : "");
        }
    }

    /**
     * One IPv4 address on an interface and the subnet it reaches directly: on a point-to-point link (a tun, GRE or
     * WireGuard tunnel configured {@code ip addr add LOCAL peer PEER/LEN}) that is the peer's prefix, which need not
     * hold the local address.
     */
    public record InterfaceAddress(Ip4 address, Ip4Prefix subnet) {

        /**
         * The address as the kernel lists it (RTM_NEWADDR): IFA_LOCAL is our address, IFA_ADDRESS with the prefix
         * length the subnet on the other side of the link. They differ only on a point-to-point link with a peer
         * address; there the prefix is the peer's, so a source at the peer passes RPF on this interface.
         */
        public static InterfaceAddress of(Ip4 local, Ip4 address, int prefixLength) {
            return new InterfaceAddress(local, Ip4Prefix.containing(address, prefixLength));
        }

        @Override
        public String toString() {
            return subnet.contains(address) ? address + "/" + subnet.length() : address + " peer " + subnet;
        }
    }

    /** IFF_* flags that matter to a multicast router. */
    public record Flags(boolean up, boolean running, boolean multicast, boolean loopback, boolean pointToPoint) {}

    public NetInterface {
        addresses = List.copyOf(addresses);
        ipv6 = List.copyOf(ipv6);
    }

    /**
     * The lowest link-local IPv6 address (fe80::/10) that is not tentative: the one MLD messages are sent from and
     * querier election compares (RFC 9777 §5.1.14, §7.6.2). Empty if the interface has none yet: then it cannot run
     * MLD (RFC 3590: MLD messages come from a link-local source; a tentative address is no source at all, RFC 4862
     * §5.4), and does when DAD has finished.
     */
    public Optional<Ip6> linkLocal() {
        return ipv6.stream()
                .filter(a -> !a.tentative())
                .map(Address6::address)
                .filter(Ip6::isLinkLocalUnicast)
                .min(Ip6::compareTo);
    }

    /** The first IPv4 address: the one mcgate sends queries and reports from. */
    public Optional<Ip4> primaryAddress() {
        return addresses.isEmpty()
                ? Optional.empty()
                : Optional.of(addresses.get(0).address());
    }

    public String macText() {
        return mac.map(MacAddress::toString).orElse("none");
    }

    /** One line for logs and status: name, index, MAC, addresses, MTU, flags. */
    public String describe() {
        return name + " (ifindex " + index + ", mac " + macText() + ", "
                + (addresses.isEmpty() ? "no IPv4 address" : addresses.toString())
                + (ipv6.isEmpty() ? "" : ", " + ipv6) + ", mtu " + mtu
                + (flags.up() ? ", UP" : ", DOWN")
                + (flags.running() ? ",RUNNING" : "") + (flags.multicast() ? ",MULTICAST" : ", no MULTICAST") + ")";
    }
}
