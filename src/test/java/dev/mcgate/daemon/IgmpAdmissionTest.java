package dev.mcgate.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The capture-side gate: a token bucket per interface, and a cap on each interface's messages in the inbox. */
class IgmpAdmissionTest {

    private final AtomicLong now = new AtomicLong(1_000);

    private static Map<String, Long> counts(IgmpAdmission a) {
        Map<String, Long> out = new HashMap<>();
        a.recordInto((counter, value, labels) -> out.put(counter.metric() + " " + String.join(" ", labels), value));
        return out;
    }

    private static int admitted(IgmpAdmission a, String ifName, int tries, List<IgmpAdmission.Lane> lanes) {
        int n = 0;
        for (int i = 0; i < tries; i++) {
            IgmpAdmission.Lane lane = a.admit(ifName);
            if (lane != null) {
                n++;
                lanes.add(lane);
            }
        }
        return n;
    }

    @Test
    void aBurstOfOneSecondsWorthThenTheRateAndEachInterfaceHasItsOwnBucket() {
        IgmpAdmission a = new IgmpAdmission(100_000, now::get);
        a.configure("down1", 10, 2);
        a.configure("down2", 10, 2);
        List<IgmpAdmission.Lane> lanes = new ArrayList<>();
        assertEquals(10, admitted(a, "down1", 25, lanes));
        assertEquals(10, admitted(a, "down2", 10, lanes), "down1's flood costs down2 nothing");

        now.addAndGet(TimeUnit.MILLISECONDS.toNanos(300));
        assertEquals(3, admitted(a, "down1", 25, lanes));
        now.addAndGet(TimeUnit.SECONDS.toNanos(3600));
        assertEquals(10, admitted(a, "down1", 25, lanes), "no more than one second's worth after an idle hour");

        assertEquals(15 + 22 + 15, counts(a).get("igmp_rate_limited down1"));
        assertEquals(0, counts(a).get("igmp_rate_limited down2"));
        assertEquals(0, counts(a).get("igmp_inbox_share_drops down1"));
    }

    @Test
    void anInterfaceMayFillOnlyItsShareOfTheInboxAndGetsItBackAsTheLoopTakesItsMessages() {
        // 3/4 of 1024 shared by 3 interfaces: 256 each.
        IgmpAdmission a = new IgmpAdmission(1024, now::get);
        a.configure("up0", 100_000, 3);
        a.configure("down1", 100_000, 3);
        a.configure("down2", 100_000, 3);
        List<IgmpAdmission.Lane> lanes = new ArrayList<>();
        assertEquals(256, admitted(a, "down1", 300, lanes));
        assertEquals(44, counts(a).get("igmp_inbox_share_drops down1"));
        assertNotNull(a.admit("down2"), "another interface still has its share");

        lanes.subList(0, 10).forEach(IgmpAdmission.Lane::left);
        assertEquals(10, admitted(a, "down1", 20, new ArrayList<>()));
        assertEquals(256, a.queued("down1"));
    }

    @Test
    void anInterfaceNotConfiguredIsNotAdmittedAndANewRateAppliesAtOnce() {
        IgmpAdmission a = new IgmpAdmission(4096, now::get);
        assertNull(a.admit("eth9"));
        a.configure("down1", 2, 1);
        assertEquals(2, admitted(a, "down1", 5, new ArrayList<>()));
        a.configure("down1", 5, 1);
        assertEquals(5, admitted(a, "down1", 9, new ArrayList<>()));
    }
}
