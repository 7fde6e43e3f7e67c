package dev.mcgate.host;

import static dev.mcgate.host.TestValues.ip;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mcgate.net.MacAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class GroupMacFilterTest {

    /** Records link filter calls. */
    static final class FakeLinkFilter implements LinkFilter {
        final List<String> calls = new ArrayList<>();

        @Override
        public void join(MacAddress mac) {
            calls.add("join " + mac);
        }

        @Override
        public void leave(MacAddress mac) {
            calls.add("leave " + mac);
        }
    }

    @Test
    void groupsSharingAMacAreCountedAndTheMacLeavesWithTheLastOne() {
        FakeLinkFilter link = new FakeLinkFilter();
        GroupMacFilter filter = new GroupMacFilter(link);
        // 239.1.1.1, 224.1.1.1 and 239.129.1.1 all map to 01:00:5e:01:01:01 (only 23 bits are kept).
        MacAddress shared = MacAddress.parse("01:00:5e:01:01:01");

        filter.joinGroup(ip("239.1.1.1"));
        filter.joinGroup(ip("224.1.1.1"));
        filter.joinGroup(ip("239.129.1.1"));
        filter.joinGroup(ip("239.1.1.1")); // twice: counts once
        filter.joinGroup(ip("239.1.1.2"));
        assertEquals(List.of("join 01:00:5e:01:01:01", "join 01:00:5e:01:01:02"), link.calls);
        assertEquals(3, filter.references(shared));

        filter.leaveGroup(ip("239.1.1.1"));
        filter.leaveGroup(ip("239.1.1.1")); // not joined any more: ignored
        filter.leaveGroup(ip("224.1.1.1"));
        assertEquals(2, link.calls.size());
        assertEquals(1, filter.references(shared));

        filter.leaveGroup(ip("239.129.1.1"));
        assertEquals("leave 01:00:5e:01:01:01", link.calls.get(2));
        assertEquals(0, filter.references(shared));

        filter.joinGroup(ip("224.1.1.1"));
        filter.leaveAll();
        assertEquals(
                List.of(
                        "join 01:00:5e:01:01:01",
                        "join 01:00:5e:01:01:02",
                        "leave 01:00:5e:01:01:01",
                        "join 01:00:5e:01:01:01",
                        "leave 01:00:5e:01:01:01",
                        "leave 01:00:5e:01:01:02"),
                link.calls);
        assertEquals(List.of(), List.copyOf(filter.groups()));
    }
}
