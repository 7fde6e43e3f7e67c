package dev.mcgate.proxy;

import static dev.mcgate.host.TestValues.ex;
import static dev.mcgate.host.TestValues.in;
import static dev.mcgate.host.TestValues.ip;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcgate.config.PrefixFilter;
import dev.mcgate.net.Ip4;
import dev.mcgate.net.Ip4Prefix;
import dev.mcgate.net.Subscription;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MembershipDatabaseTest {

    private static final Ip4 G = ip("239.1.1.1");

    @Test
    void mergesAcrossInterfacesAndForgetsWhatIsNoLongerWanted() {
        MembershipDatabase db = new MembershipDatabase(n -> InterfaceFilter.PERMIT_ALL);
        assertTrue(db.update("d1", G, in("10.0.0.1")));
        assertTrue(db.update("d2", G, ex("10.0.0.1", "10.0.0.2")));
        assertEquals(ex("10.0.0.2"), db.merged(G));
        assertFalse(db.update("d2", G, ex("10.0.0.1", "10.0.0.2")), "no change");

        assertTrue(db.update("d2", G, Subscription.NONE));
        assertEquals(in("10.0.0.1"), db.merged(G));
        assertEquals(Set.of("d1"), db.interfaces());

        assertEquals(Set.of(G), db.removeInterface("d1"));
        assertEquals(Subscription.NONE, db.merged(G));
        assertEquals(Map.of(), db.mergedGroups());
        assertEquals(Set.of(), db.interfaces());
    }

    @Test
    void keepsTheUnfilteredStateSoThatANewFilterCanBeApplied() {
        InterfaceFilter denyG = new InterfaceFilter(
                new PrefixFilter(List.of(Ip4Prefix.MULTICAST), List.of(Ip4Prefix.parse("239.1.1.1/32"))),
                List.of(),
                PrefixFilter.ALL_SOURCES);
        MembershipDatabase db = new MembershipDatabase(n -> n.equals("d1") ? denyG : InterfaceFilter.PERMIT_ALL);
        assertFalse(db.update("d1", G, ex()), "filtered to nothing: nothing changes");
        db.update("d2", G, in("10.0.0.1"));
        assertEquals(in("10.0.0.1"), db.merged(G));
        assertEquals(ex(), db.wanted("d1").get(G));
        assertEquals(Map.of(), db.filtered("d1"));

        assertTrue(db.refilterAll(n -> InterfaceFilter.PERMIT_ALL));
        assertEquals(ex(), db.merged(G));
        assertEquals(Map.of(G, ex()), db.filtered("d1"));
    }
}
