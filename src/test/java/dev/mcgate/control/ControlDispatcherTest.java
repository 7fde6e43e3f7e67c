package dev.mcgate.control;

import static dev.mcgate.control.MiniJson.at;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** What each request is answered with, reload through a fake {@link Reloading}, and the failure answers. */
class ControlDispatcherTest {

    private final AtomicInteger reloads = new AtomicInteger();

    private ControlDispatcher dispatcher(Reloading.Outcome outcome) {
        return new ControlDispatcher(Snapshots::sample, () -> {
            reloads.incrementAndGet();
            return outcome;
        });
    }

    @Test
    void anAppliedReloadExitsZeroWithItsChanges() {
        ControlDispatcher d = dispatcher(new Reloading.Outcome(true, "1 change", List.of("down3 added")));
        ControlResponse text = d.handle(new ControlRequest(false, "reload", Optional.empty()));
        assertEquals(new ControlResponse(0, "reloaded: 1 change\n  down3 added\n"), text);
        ControlResponse json = d.handle(new ControlRequest(true, "reload", Optional.empty()));
        assertEquals(0, json.exitCode());
        assertEquals(true, at(MiniJson.parse(json.body()), "applied"));
        assertEquals(2, reloads.get());
    }

    @Test
    void aRefusedReloadExits78WithTheConfigurationError() {
        ControlDispatcher d = dispatcher(
                new Reloading.Outcome(false, "/etc/mcgate/mcgate.conf:7: robustness must not be 0", List.of()));
        ControlResponse text = d.handle(new ControlRequest(false, "reload", Optional.empty()));
        assertEquals(new ControlResponse(78, "/etc/mcgate/mcgate.conf:7: robustness must not be 0\n"), text);
        ControlResponse json = d.handle(new ControlRequest(true, "reload", Optional.empty()));
        assertEquals(78, json.exitCode());
        Object doc = MiniJson.parse(json.body());
        assertEquals(false, at(doc, "applied"));
        assertEquals("/etc/mcgate/mcgate.conf:7: robustness must not be 0", at(doc, "message"));
    }

    @Test
    void eachCommandGetsItsOwnReport() {
        ControlDispatcher d = dispatcher(null);
        for (String command : List.of("status", "groups", "routes", "counters")) {
            ControlResponse r = d.handle(new ControlRequest(true, command, Optional.empty()));
            assertEquals(0, r.exitCode());
            assertEquals(command, at(MiniJson.parse(r.body()), "command"));
        }
        assertEquals(
                TextReport.routes(Snapshots.sample()),
                d.handle(new ControlRequest(false, "routes", Optional.empty())).body());
        assertEquals(0, reloads.get(), "no reload without asking");
    }

    @Test
    void groupsOfAnInterfaceThatIsNotOpenIsABadRequest() {
        ControlResponse r = dispatcher(null).handle(new ControlRequest(false, "groups", Optional.of("eth9")));
        assertEquals(64, r.exitCode());
        assertEquals("eth9 is not an open upstream or downstream interface (mcgate status lists them)\n", r.body());
        assertEquals(
                0,
                dispatcher(null)
                        .handle(new ControlRequest(false, "groups", Optional.of("up0")))
                        .exitCode());
    }

    @Test
    void aLoopThatDoesNotAnswerGives69() {
        ControlDispatcher d = new ControlDispatcher(
                () -> {
                    throw new TimeoutException("loop busy");
                },
                () -> null);
        ControlResponse r = d.handle(new ControlRequest(true, "status", Optional.empty()));
        assertEquals(69, r.exitCode());
        assertTrue(((String) at(MiniJson.parse(r.body()), "error")).contains("loop busy"), r.body());
    }
}
