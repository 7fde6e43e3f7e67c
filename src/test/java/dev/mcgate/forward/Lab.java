package dev.mcgate.forward;

import dev.mcgate.config.InterfaceConfig;
import dev.mcgate.config.InterfaceDefaults;
import dev.mcgate.config.PrefixFilter;
import dev.mcgate.config.Role;
import dev.mcgate.io.NetInterface;
import dev.mcgate.io.NetInterface.Flags;
import dev.mcgate.io.NetInterface.InterfaceAddress;
import dev.mcgate.net.Ip4;
import dev.mcgate.net.Ip4Prefix;
import dev.mcgate.net.IpPrefix;
import dev.mcgate.net.MacAddress;
import java.util.List;
import java.util.Optional;

/**
 * The interfaces the forwarding tests use: the namespace lab's router (up0, down1, down2) plus a raw-IP tun0, and an
 * easy way to vary their configuration.
 *
 * <pre>
 *   source 192.0.2.10 --- up0 192.0.2.1/24   [router]   down1 198.51.100.1/24 --- rx1 198.51.100.10
 *                                                         down2 203.0.113.1/24  --- rx2 203.0.113.10
 *                                                         tun0  10.9.0.1/30 (raw IP, no MAC)
 * </pre>
 */
final class Lab {

    static final MacAddress UP0_MAC = MacAddress.parse("02:00:00:00:00:01");
    static final MacAddress DOWN1_MAC = MacAddress.parse("02:00:00:00:00:02");
    static final MacAddress DOWN2_MAC = MacAddress.parse("02:00:00:00:00:03");
    static final MacAddress SOURCE_MAC = MacAddress.parse("0a:00:00:00:00:0a");
    static final MacAddress RX1_MAC = MacAddress.parse("0a:00:00:00:00:11");

    static final Ip4 REMOTE_SOURCE = Ip4.parse("192.0.2.10");
    static final Ip4 FAR_SOURCE = Ip4.parse("100.64.1.1");
    static final Ip4 RX1_SOURCE = Ip4.parse("198.51.100.10");
    static final Ip4 RX2_SOURCE = Ip4.parse("203.0.113.10");
    static final Ip4 GROUP = Ip4.parse("239.1.1.1");

    static final NetInterface UP0 = nif("up0", 2, UP0_MAC, "192.0.2.1", 24, 1500);
    static final NetInterface DOWN1 = nif("down1", 3, DOWN1_MAC, "198.51.100.1", 24, 1500);
    static final NetInterface DOWN2 = nif("down2", 4, DOWN2_MAC, "203.0.113.1", 24, 1500);
    static final NetInterface TUN0 = nif("tun0", 5, null, "10.9.0.1", 30, 1400);

    private Lab() {}

    static NetInterface nif(String name, int index, MacAddress mac, String address, int length, int mtu) {
        Ip4 a = Ip4.parse(address);
        return new NetInterface(
                name,
                index,
                Optional.ofNullable(mac),
                List.of(new InterfaceAddress(a, Ip4Prefix.containing(a, length))),
                mtu,
                new Flags(true, true, true, false, false));
    }

    static NetInterface withMtu(NetInterface nif, int mtu) {
        return new NetInterface(nif.name(), nif.index(), nif.mac(), nif.addresses(), mtu, nif.flags());
    }

    static InterfaceConfig config(String name, Role role) {
        return InterfaceDefaults.BUILT_IN.forInterface(name, role);
    }

    static InterfaceConfig withTtlThreshold(InterfaceConfig c, int threshold) {
        return new InterfaceConfig(
                c.name(),
                c.role(),
                c.igmp(),
                c.mld(),
                c.families(),
                threshold,
                c.fastLeave(),
                c.altnets(),
                c.groupFilter(),
                c.sourceFilter(),
                c.scopeBoundaries(),
                c.upstreamGroups(),
                c.repairUdpChecksum(),
                c.captureBuffer(),
                c.limits());
    }

    static InterfaceConfig withAltnets(InterfaceConfig c, String... prefixes) {
        return new InterfaceConfig(
                c.name(),
                c.role(),
                c.igmp(),
                c.mld(),
                c.families(),
                c.ttlThreshold(),
                c.fastLeave(),
                prefixes(prefixes),
                c.groupFilter(),
                c.sourceFilter(),
                c.scopeBoundaries(),
                c.upstreamGroups(),
                c.repairUdpChecksum(),
                c.captureBuffer(),
                c.limits());
    }

    static InterfaceConfig withBoundaries(InterfaceConfig c, String... prefixes) {
        return new InterfaceConfig(
                c.name(),
                c.role(),
                c.igmp(),
                c.mld(),
                c.families(),
                c.ttlThreshold(),
                c.fastLeave(),
                c.altnets(),
                c.groupFilter(),
                c.sourceFilter(),
                prefixes(prefixes),
                c.upstreamGroups(),
                c.repairUdpChecksum(),
                c.captureBuffer(),
                c.limits());
    }

    static InterfaceConfig withGroupFilter(InterfaceConfig c, PrefixFilter filter) {
        return new InterfaceConfig(
                c.name(),
                c.role(),
                c.igmp(),
                c.mld(),
                c.families(),
                c.ttlThreshold(),
                c.fastLeave(),
                c.altnets(),
                filter,
                c.sourceFilter(),
                c.scopeBoundaries(),
                c.upstreamGroups(),
                c.repairUdpChecksum(),
                c.captureBuffer(),
                c.limits());
    }

    static InterfaceConfig withSourceFilter(InterfaceConfig c, PrefixFilter filter) {
        return new InterfaceConfig(
                c.name(),
                c.role(),
                c.igmp(),
                c.mld(),
                c.families(),
                c.ttlThreshold(),
                c.fastLeave(),
                c.altnets(),
                c.groupFilter(),
                filter,
                c.scopeBoundaries(),
                c.upstreamGroups(),
                c.repairUdpChecksum(),
                c.captureBuffer(),
                c.limits());
    }

    static InterfaceConfig withUpstreamGroups(InterfaceConfig c, String... prefixes) {
        return new InterfaceConfig(
                c.name(),
                c.role(),
                c.igmp(),
                c.mld(),
                c.families(),
                c.ttlThreshold(),
                c.fastLeave(),
                c.altnets(),
                c.groupFilter(),
                c.sourceFilter(),
                c.scopeBoundaries(),
                prefixes(prefixes),
                c.repairUdpChecksum(),
                c.captureBuffer(),
                c.limits());
    }

    static PrefixFilter filter(List<String> allow, List<String> deny) {
        return new PrefixFilter(
                allow.stream().map(IpPrefix::parse).toList(),
                deny.stream().map(IpPrefix::parse).toList());
    }

    private static List<IpPrefix> prefixes(String... prefixes) {
        return List.of(prefixes).stream().map(IpPrefix::parse).toList();
    }

    static InterfaceSpec upstream() {
        return InterfaceSpec.of(UP0, config("up0", Role.UPSTREAM));
    }

    static InterfaceSpec down1() {
        return InterfaceSpec.of(DOWN1, config("down1", Role.DOWNSTREAM));
    }

    static InterfaceSpec down2() {
        return InterfaceSpec.of(DOWN2, config("down2", Role.DOWNSTREAM));
    }

    static InterfaceSpec tun0(Role role) {
        return InterfaceSpec.of(TUN0, config("tun0", role));
    }

    /** up0, down1, down2 with default settings. */
    static ForwardingTableBuilder standard() {
        return new ForwardingTableBuilder().add(upstream()).add(down1()).add(down2());
    }
}
