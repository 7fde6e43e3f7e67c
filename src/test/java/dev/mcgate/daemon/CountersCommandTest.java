package dev.mcgate.daemon;

import static dev.mcgate.control.MiniJson.array;
import static dev.mcgate.control.MiniJson.at;
import static dev.mcgate.control.MiniJson.object;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcgate.control.ControlDispatcher;
import dev.mcgate.control.ControlRequest;
import dev.mcgate.control.ControlResponse;
import dev.mcgate.control.MiniJson;
import dev.mcgate.control.Reloading;
import dev.mcgate.counters.Counter;
import dev.mcgate.counters.CounterEnums;
import dev.mcgate.forward.DropReason;
import dev.mcgate.forward.ForwardingCounter;
import dev.mcgate.host.HostCounter;
import dev.mcgate.igmp.RouterCounter;
import dev.mcgate.io.PortCounter;
import dev.mcgate.net.Ip4;
import dev.mcgate.net.Subscription;
import dev.mcgate.packet.MalformedPacketException;
import dev.mcgate.proxy.InterfaceFilter;
import dev.mcgate.proxy.ProxyCounter;
import dev.mcgate.time.LoopCounts;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code counters --json} of a whole daemon ({@link DaemonHarness}), built the way the control command builds it:
 * every counter the daemon keeps is listed, with a value for every interface it is kept for, zeros included; and
 * counters that were once kept without being shown show what happened.
 */
class CountersCommandTest {

    private static final Ip4 DENIED = Ip4.parse("239.255.255.250");

    @TempDir
    Path dir;

    private DaemonHarness h;
    private StatusGatherer gatherer;
    private final AtomicLong droppedEvents = new AtomicLong();

    @BeforeEach
    void setUp() throws Exception {
        h = new DaemonHarness(dir.resolve("mcgate.conf"), """
                interface up0 {
                    role upstream
                }
                interface down1 {
                    role downstream
                    deny-group %s
                }
                interface down2 {
                    role downstream
                }
                interface down3 {
                    role downstream
                }
                """.formatted(DENIED));
        gatherer = new StatusGatherer(
                h.loop,
                () -> new LoopCounts(droppedEvents.get(), 0, 0, 0, 0),
                h.interfaces,
                h.proxy,
                h.forwarding.forwarder(),
                "test",
                h.loop::nanoTime,
                h.tunnels::statuses);
    }

    @AfterEach
    void tearDown() {
        h.close();
    }

    /** The document {@code mcgate counters --json} prints. */
    private Object countersJson() {
        Reloading none = () -> {
            throw new AssertionError("no reload here");
        };
        ControlResponse r = new ControlDispatcher(gatherer::gather, none).handle(ControlRequest.parse("json counters"));
        assertEquals(ControlResponse.OK, r.exitCode(), r.body());
        return MiniJson.parse(r.body());
    }

    /** Each family's values, by name: label values joined with spaces, to the value. */
    private static Map<String, Map<String, Long>> families(Object doc) {
        Map<String, Map<String, Long>> out = new LinkedHashMap<>();
        for (Object f : array(at(doc, "counters"))) {
            Map<String, Long> values = new LinkedHashMap<>();
            for (Object v : array(object(f).get("values"))) {
                String labels = String.join(
                        " ",
                        object(object(v).get("labels")).values().stream()
                                .map(Object::toString)
                                .toList());
                values.put(labels, ((Double) object(v).get("value")).longValue());
            }
            out.put((String) object(f).get("name"), values);
        }
        return out;
    }

    @Test
    void everyCounterEnumIsInTheCatalog() {
        List<Class<?>> enums = CounterEnums.enums();
        assertTrue(enums.size() >= 11, "found " + enums);
        Set<Counter> registered = new HashSet<>(CounterCatalog.newRegistry().families());
        for (Counter c : CounterEnums.everyConstant()) {
            assertTrue(
                    registered.contains(c),
                    c.getClass().getName() + "." + c + " is kept but not registered in "
                            + "CounterCatalog, so nothing shows it");
        }
    }

    @Test
    void countersJsonListsEveryConstantOfEveryCounterEnum() {
        Map<String, Map<String, Long>> shown = families(countersJson());
        for (Counter c : CounterEnums.everyConstant()) {
            assertTrue(
                    shown.containsKey(c.metric()),
                    c.getClass().getSimpleName() + "." + c + " (" + c.metric() + ") is not in counters --json: "
                            + shown.keySet());
        }
        assertEquals(shown.size(), new HashSet<>(shown.keySet()).size(), "each name once");
    }

    @Test
    void perInterfaceCountersHaveAValueForEveryInterfaceTheyAreKeptForZerosIncluded() {
        Map<String, Map<String, Long>> shown = families(countersJson());
        List<String> open = List.of("up0", "down1", "down2", "down3");
        for (PortCounter c : PortCounter.values()) {
            if (c != PortCounter.KERNEL_DROPS) { // unknown on a simulated port: no value, as on a tun device
                assertEquals(Set.copyOf(open), shown.get(c.metric()).keySet(), c.metric());
            }
        }
        assertEquals(
                Set.copyOf(open), shown.get(ForwardingCounter.RECEIVED.metric()).keySet());
        assertEquals(
                Set.copyOf(open),
                shown.get(IgmpSenderCounter.FRAMES_SENT.metric()).keySet());
        for (RouterCounter c : RouterCounter.values()) {
            assertEquals(
                    Set.of("down1 igmp", "down2 igmp", "down3 igmp"),
                    shown.get(c.metric()).keySet(),
                    c.metric());
        }
        for (HostCounter c : HostCounter.values()) {
            assertEquals(Set.of("up0 igmp"), shown.get(c.metric()).keySet(), c.metric());
        }
        Map<String, Long> drops = shown.get(ForwardingCounter.DROPS.metric());
        Map<String, Long> igmp = shown.get(IgmpIntakeCounter.MESSAGES.metric());
        Map<String, Long> filtered = shown.get(ProxyCounter.FILTERED.metric());
        for (String name : open) {
            for (DropReason reason : DropReason.values()) {
                assertEquals(reason.onArrival(), drops.containsKey(name + " in " + reason.keyword()), name + reason);
                assertEquals(reason.onEgress(), drops.containsKey(name + " out " + reason.keyword()), name + reason);
            }
            for (IgmpKind kind : IgmpKind.values()) {
                if (kind != IgmpKind.MALFORMED) {
                    assertTrue(igmp.containsKey(name + " " + kind.keyword() + " "), name + " " + kind);
                }
            }
            for (MalformedPacketException.Reason reason : MalformedPacketException.Reason.values()) {
                assertTrue(
                        igmp.containsKey(name + " malformed "
                                + reason.name().toLowerCase(Locale.ROOT).replace('_', '-')),
                        name + " " + reason);
            }
        }
        for (String name : List.of("down1", "down2", "down3")) {
            for (InterfaceFilter.Verdict v : InterfaceFilter.Verdict.values()) {
                String key = name + " " + v.name().toLowerCase(Locale.ROOT).replace('_', '-');
                assertEquals(v != InterfaceFilter.Verdict.PASSED, filtered.containsKey(key), key);
            }
        }
    }

    @Test
    void theProxysIgnoredEventsAndFilterVerdictsShowWhatHappened() throws Exception {
        Map<String, Map<String, Long>> before = families(countersJson());
        assertEquals(0, before.get(ProxyCounter.IGNORED_EVENTS.metric()).get(""));
        assertEquals(0, before.get(ProxyCounter.FILTERED.metric()).get("down1 group-denied"));

        // A receiver on down1 joins a group down1's filter denies; its router passes the membership to the proxy.
        h.join("lan1", Ip4.parse("198.51.100.10"), DENIED);
        // Memberships from the upstream's side are not the proxy's to take: two are ignored.
        h.loop.call(
                "test:upstream-memberships",
                () -> {
                    h.proxy.subscriptionChanged("up0", Ip4.parse("239.1.1.1"), Subscription.ANY_SOURCE);
                    h.proxy.subscriptionChanged("up0", Ip4.parse("239.1.1.2"), Subscription.ANY_SOURCE);
                    return null;
                },
                java.time.Duration.ofSeconds(1));

        Map<String, Map<String, Long>> after = families(countersJson());
        assertEquals(2, after.get(ProxyCounter.IGNORED_EVENTS.metric()).get(""));
        assertTrue(after.get(ProxyCounter.FILTERED.metric()).get("down1 group-denied") >= 1, after.toString());
        assertEquals(0, after.get(ProxyCounter.FILTERED.metric()).get("down2 group-denied"), "only down1 denies");
    }

    @Test
    void theRoutersNoticesAndTheIgmpSendersShowWhatHappened() throws Exception {
        // A report for a link-local group: the router on down2 ignores it and counts why.
        h.join("lan2", Ip4.parse("203.0.113.10"), Ip4.parse("224.0.0.251"));
        Map<String, Map<String, Long>> shown = families(countersJson());
        assertEquals(1, shown.get(RouterCounter.NON_ROUTABLE_REPORTS.metric()).get("down2 igmp"));
        assertEquals(0, shown.get(RouterCounter.NON_ROUTABLE_REPORTS.metric()).get("down1 igmp"));
        assertEquals(1, shown.get(IgmpIntakeCounter.MESSAGES.metric()).get("down2 v3-report "));
        // Every IGMP packet mcgate put on lan1 (its startup queries) is counted by down1's sender.
        long onTheWire = h.lan.log("lan1").stream()
                .filter(p -> p.length > 9 && p[9] == 2)
                .count();
        assertTrue(onTheWire > 0, "down1 sent its startup queries");
        assertEquals(
                onTheWire, shown.get(IgmpSenderCounter.FRAMES_SENT.metric()).get("down1"));
        assertEquals(
                onTheWire,
                shown.get(PortCounter.FRAMES_SENT.metric()).get("down1"),
                "the port counted the same frames");
    }

    @Test
    void theLoopsOwnCountersShowTheirValue() {
        droppedEvents.set(3);
        Object doc = countersJson();
        assertEquals(3L, families(doc).get(LoopCounter.INBOX_DROPS.metric()).get(""));
        assertEquals(3.0, at(doc, "internal", "loop_inbox_drops"), "the schema-1 section reads the same counter");
        assertFalse(families(doc).get(EngineCounter.NFT_TRANSACTIONS.metric()).isEmpty());
    }
}
