package dev.mcgate.io;

import dev.mcgate.net.Ip4;
import dev.mcgate.net.Ip4Prefix;
import java.util.List;
import java.util.Optional;

/**
 * What mcgate knows of one network interface at one moment: a value, replaced as a whole when the interface changes.
 *
 * @param name the kernel's interface name
 * @param index the kernel's ifindex (pcap has none; it comes from the OS)
 * @param mac the hardware address, 6 bytes, or empty for raw-IP interfaces (tun, GRE, WireGuard)
 * @param addresses the interface's IPv4 addresses with the prefix of their subnet
 * @param mtu the interface MTU in bytes
 * @param flags the interface state flags
 */
public record NetInterface(String name, int index, Optional<byte[]> mac, List<InterfaceAddress> addresses, int mtu,
        Flags flags) {

    /** One IPv4 address on an interface and the subnet it lives in. */
    public record InterfaceAddress(Ip4 address, Ip4Prefix subnet) {
        @Override
        public String toString() {
            return address + "/" + subnet.length();
        }
    }

    /** IFF_* flags that matter to a multicast router. */
    public record Flags(boolean up, boolean running, boolean multicast, boolean loopback, boolean pointToPoint) {
    }

    public NetInterface {
        mac = mac.map(byte[]::clone);
        addresses = List.copyOf(addresses);
    }

    /** The first IPv4 address: the one mcgate sends queries and reports from. */
    public Optional<Ip4> primaryAddress() {
        return addresses.isEmpty() ? Optional.empty() : Optional.of(addresses.get(0).address());
    }

    @Override
    public Optional<byte[]> mac() {
        return mac.map(byte[]::clone);
    }

    public String macText() {
        return mac.map(NetInterface::formatMac).orElse("none");
    }

    static String formatMac(byte[] mac) {
        StringBuilder sb = new StringBuilder(17);
        for (int i = 0; i < mac.length; i++) {
            if (i > 0) {
                sb.append(':');
            }
            sb.append(Character.forDigit((mac[i] >> 4) & 0xf, 16)).append(Character.forDigit(mac[i] & 0xf, 16));
        }
        return sb.toString();
    }

    /** Equality by content: a record's default equals compares the MAC array by identity. */
    @Override
    public boolean equals(Object o) {
        return o instanceof NetInterface n && name.equals(n.name) && index == n.index && mtu == n.mtu
                && macText().equals(n.macText()) && addresses.equals(n.addresses) && flags.equals(n.flags);
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + index;
    }

    /** One line for logs and status: name, index, MAC, addresses, MTU, flags. */
    public String describe() {
        return name + " (ifindex " + index + ", mac " + macText() + ", " + (addresses.isEmpty() ? "no IPv4 address"
                : addresses.toString()) + ", mtu " + mtu + (flags.up() ? ", UP" : ", DOWN")
                + (flags.running() ? ",RUNNING" : "") + (flags.multicast() ? ",MULTICAST" : ", no MULTICAST") + ")";
    }
}
