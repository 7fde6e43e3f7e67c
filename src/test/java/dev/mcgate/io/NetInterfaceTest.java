package dev.mcgate.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mcgate.net.Ip6;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** An interface's MLD source: its lowest link-local address that Duplicate Address Detection has let it have. */
class NetInterfaceTest {

    private static NetInterface with(NetInterface.Address6... ipv6) {
        return new NetInterface(
                "down1",
                7,
                Optional.empty(),
                List.of(),
                1500,
                new NetInterface.Flags(true, true, true, false, false),
                List.of(ipv6));
    }

    @Test
    void theLowestLinkLocalAddressIsTheSourceAndAGlobalOneNever() {
        NetInterface nif = with(
                NetInterface.Address6.of(Ip6.parse("fe80::20"), 64),
                NetInterface.Address6.of(Ip6.parse("fe80::9"), 64),
                NetInterface.Address6.of(Ip6.parse("fd00::1"), 64));
        assertEquals(Optional.of(Ip6.parse("fe80::9")), nif.linkLocal());
    }

    @Test
    void aTentativeLinkLocalAddressIsNoSourceUntilDadHasFinished() {
        NetInterface.Address6 lowest = NetInterface.Address6.of(Ip6.parse("fe80::1"), 64);
        NetInterface.Address6 other = NetInterface.Address6.of(Ip6.parse("fe80::9"), 64);
        assertEquals(Optional.empty(), with(lowest.tentative(true)).linkLocal(), "its only one: MLD waits");
        assertEquals(
                Optional.of(Ip6.parse("fe80::9")),
                with(lowest.tentative(true), other).linkLocal(),
                "the lowest that is the interface's");
        assertEquals(Optional.of(Ip6.parse("fe80::1")), with(lowest, other).linkLocal(), "DAD done");
        // A reading that differs only in the flag is a change: the watcher reports it and MLD starts then.
        assertEquals(
                false, with(lowest.tentative(true)).equals(with(lowest)), "a tentative reading is another reading");
    }
}
