package dev.mcgate.proxy;

import static dev.mcgate.host.TestValues.ex;
import static dev.mcgate.host.TestValues.ip;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.mcgate.net.IpAddress;
import dev.mcgate.net.Subscription;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class MembershipSnapshotTest {

    @Test
    void isACopyThatCannotBeChanged() {
        TreeMap<IpAddress, Subscription> row = new TreeMap<>();
        row.put(ip("239.1.1.1"), ex());
        TreeMap<String, SortedMap<IpAddress, Subscription>> downstreams = new TreeMap<>();
        downstreams.put("d1", row);
        TreeMap<IpAddress, MembershipSnapshot.GroupEntry> groups = new TreeMap<>();
        groups.put(ip("239.1.1.1"), new MembershipSnapshot.GroupEntry(ex(), Optional.of("up0"), ex()));
        MembershipSnapshot s = new MembershipSnapshot(7, downstreams, groups);

        row.put(ip("239.1.1.2"), ex());
        downstreams.clear();
        groups.clear();
        assertEquals(1, s.downstreams().get("d1").size());
        assertEquals(1, s.groups().size());
        assertEquals(ex(), s.downstream("d1", ip("239.1.1.1")));
        assertEquals(Subscription.NONE, s.downstream("d9", ip("239.1.1.1")));
        assertThrows(
                UnsupportedOperationException.class,
                () -> s.downstreams().get("d1").clear());
        assertThrows(UnsupportedOperationException.class, () -> s.groups().clear());
        assertThrows(UnsupportedOperationException.class, () -> s.downstreams().clear());
    }
}
