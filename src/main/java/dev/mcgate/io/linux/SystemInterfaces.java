package dev.mcgate.io.linux;

import com.sun.jna.LastErrorException;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;
import dev.mcgate.io.InterfaceDirectory;
import dev.mcgate.io.NetInterface;
import dev.mcgate.io.NetInterface.Flags;
import dev.mcgate.io.NetInterface.InterfaceAddress;
import dev.mcgate.net.Ip4;
import dev.mcgate.net.Ip6;
import dev.mcgate.net.MacAddress;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The interfaces of the network namespace the calling thread is in, read from the kernel with getifaddrs(3).
 *
 * <p>Not java.net.NetworkInterface: on Linux the JDK lists only interfaces that have an address (SIOCGIFCONF and
 * /proc/net/if_inet6), so a tunnel or VLAN that has just been created, or has lost its address, would be invisible;
 * and its isUp() is UP and RUNNING together, while a new veth stays not-RUNNING for a second yet carries traffic.
 * getifaddrs lists every interface through netlink (an AF_PACKET entry each, with ifindex and MAC), with its flags
 * and IPv4 addresses.
 */
public final class SystemInterfaces implements InterfaceDirectory {

    // struct ifaddrs on LP64: ifa_next, ifa_name, ifa_flags (+pad), ifa_addr, ifa_netmask.
    private static final int IFA_NEXT = 0;
    private static final int IFA_NAME = 8;
    private static final int IFA_FLAGS = 16;
    private static final int IFA_ADDR = 24;
    private static final int IFA_NETMASK = 32;
    /** ifa_ifu: the broadcast address, or on an IFF_POINTOPOINT interface the peer's address (IFA_ADDRESS). */
    private static final int IFA_DSTADDR = 40;
    // struct sockaddr_ll: sll_ifindex at 4, sll_halen at 11, sll_addr at 12. struct sockaddr_in: sin_addr at 4.
    private static final int SLL_IFINDEX = 4;
    private static final int SLL_HALEN = 11;
    private static final int SLL_ADDR = 12;
    private static final int SIN_ADDR = 4;
    /** struct sockaddr_in6: sin6_addr at 8. */
    private static final int SIN6_ADDR = 8;

    /** What one interface has collected while walking the list. */
    private static final class Entry {
        final String name;
        int flags;
        int index;
        Optional<MacAddress> mac = Optional.empty();
        final List<InterfaceAddress> addresses = new ArrayList<>();
        final List<NetInterface.Address6> ipv6 = new ArrayList<>();

        Entry(String name) {
            this.name = name;
        }
    }

    /** The leading one bits of a netmask (glibc gives IPv6 prefixes as masks). */
    static int prefixLength(byte[] mask) {
        int length = 0;
        for (byte b : mask) {
            if (b == (byte) 0xff) {
                length += 8;
            } else {
                length += Integer.numberOfLeadingZeros(~(b & 0xff) & 0xff) - 24;
                break;
            }
        }
        return length;
    }

    @Override
    public List<NetInterface> list() {
        PointerByReference head = new PointerByReference();
        try {
            LibC.INSTANCE.getifaddrs(head);
        } catch (LastErrorException e) {
            // Not an empty list: that would read as "every interface disappeared" and tear every port down.
            throw new UncheckedIOException(new IOException("getifaddrs failed: errno " + e.getErrorCode()));
        }
        Map<String, Entry> entries = new LinkedHashMap<>();
        try {
            for (Pointer ifa = head.getValue(); ifa != null; ifa = ifa.getPointer(IFA_NEXT)) {
                String name = ifa.getPointer(IFA_NAME).getString(0, "US-ASCII");
                // An alias label ("eth0:1") carries extra addresses of its base interface.
                int colon = name.indexOf(':');
                Entry e = entries.computeIfAbsent(colon < 0 ? name : name.substring(0, colon), Entry::new);
                if (colon < 0) {
                    e.flags = ifa.getInt(IFA_FLAGS);
                }
                Pointer addr = ifa.getPointer(IFA_ADDR);
                if (addr == null) {
                    continue;
                }
                int family = addr.getShort(0) & 0xffff;
                if (family == LibC.AF_PACKET) {
                    e.index = addr.getInt(SLL_IFINDEX);
                    if ((addr.getByte(SLL_HALEN) & 0xff) == 6) {
                        MacAddress mac = MacAddress.fromBytes(addr.getByteArray(SLL_ADDR, 6), 0);
                        // Loopback and tunnels report an all-zero address: they have no MAC to filter or rewrite.
                        e.mac = mac.bits() == 0 ? Optional.empty() : Optional.of(mac);
                    }
                } else if (family == LibC.AF_INET) {
                    Ip4 address = Ip4.fromBytes(addr.getByteArray(SIN_ADDR, 4), 0);
                    Pointer mask = ifa.getPointer(IFA_NETMASK);
                    int length = mask == null
                            ? 32
                            : Integer.bitCount(Ip4.fromBytes(mask.getByteArray(SIN_ADDR, 4), 0)
                                    .bits());
                    // glibc puts IFA_LOCAL in ifa_addr and, on a point-to-point link, IFA_ADDRESS (the peer, to
                    // which the prefix length belongs) in ifa_dstaddr.
                    Ip4 far = address;
                    Pointer dst = ifa.getPointer(IFA_DSTADDR);
                    if ((ifa.getInt(IFA_FLAGS) & InterfaceFlags.IFF_POINTOPOINT) != 0
                            && dst != null
                            && (dst.getShort(0) & 0xffff) == LibC.AF_INET) {
                        far = Ip4.fromBytes(dst.getByteArray(SIN_ADDR, 4), 0);
                    }
                    e.addresses.add(InterfaceAddress.of(address, far, length));
                } else if (family == LibC.AF_INET6) {
                    Ip6 address = Ip6.fromBytes(addr.getByteArray(SIN6_ADDR, 16), 0);
                    Pointer mask = ifa.getPointer(IFA_NETMASK);
                    int length = mask == null ? 128 : prefixLength(mask.getByteArray(SIN6_ADDR, 16));
                    e.ipv6.add(NetInterface.Address6.of(address, length));
                }
            }
        } finally {
            LibC.INSTANCE.freeifaddrs(head.getValue());
        }
        java.util.Set<Inet6AddressFlags.Key> tentative =
                entries.values().stream().anyMatch(e -> !e.ipv6.isEmpty())
                        ? Inet6AddressFlags.tentative()
                        : java.util.Set.of();
        List<NetInterface> result = new ArrayList<>();
        for (Entry e : entries.values()) {
            if (e.index == 0) {
                // Links without a hardware address (tun, GRE, WireGuard) come without a link-layer sockaddr.
                e.index = LibC.INSTANCE.if_nametoindex(e.name);
                if (e.index == 0) {
                    continue; // gone since the list was read
                }
            }
            // Sorted so that readings compare equal while nothing changed; the lowest is the primary address.
            e.addresses.sort(Comparator.comparing(InterfaceAddress::address));
            e.ipv6.sort(Comparator.comparing(NetInterface.Address6::address));
            // DAD under way: the kernel announces its end (RTM_NEWADDR), and the reading then differs from this one.
            e.ipv6.replaceAll(a -> a.tentative(tentative.contains(new Inet6AddressFlags.Key(e.index, a.address()))));
            int f = e.flags;
            Flags flags = new Flags(
                    (f & InterfaceFlags.IFF_UP) != 0,
                    (f & InterfaceFlags.IFF_RUNNING) != 0,
                    (f & InterfaceFlags.IFF_MULTICAST) != 0,
                    (f & InterfaceFlags.IFF_LOOPBACK) != 0,
                    (f & InterfaceFlags.IFF_POINTOPOINT) != 0);
            int mtu = InterfaceFlags.mtu(e.name).orElse(0);
            result.add(new NetInterface(e.name, e.index, e.mac, e.addresses, mtu, flags, e.ipv6));
        }
        result.sort(Comparator.comparingInt(NetInterface::index));
        return List.copyOf(result);
    }
}
