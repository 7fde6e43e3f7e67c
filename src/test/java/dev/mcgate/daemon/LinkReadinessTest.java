package dev.mcgate.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mcgate.daemon.LinkReadiness.State;
import org.junit.jupiter.api.Test;

/** When an interface that exists counts as down or without address, step by step as the kernel shows it. */
class LinkReadinessTest {

    private final LinkReadiness readiness = new LinkReadiness();

    private State see(boolean up, boolean running, String address) {
        return readiness.observe(DaemonHarness.nif("veth0", 7, address, up, running));
    }

    @Test
    void aNewVethIsReadyBeforeItsCarrierIsReported() {
        assertEquals(State.DOWN, see(false, false, null), "admin down");
        assertEquals(State.READY, see(true, false, null), "up, linkwatch has not said RUNNING yet");
        assertEquals(State.READY, see(true, true, "10.0.0.1"));
    }

    @Test
    void losingACarrierItHadIsDownAndAdminDownForgetsIt() {
        see(true, true, "10.0.0.1");
        assertEquals(State.DOWN, see(true, false, "10.0.0.1"), "carrier lost");
        assertEquals(State.DOWN, see(false, false, "10.0.0.1"));
        assertEquals(State.READY, see(true, false, "10.0.0.1"), "set up again: usable before the carrier returns");
    }

    @Test
    void losingTheAddressItHadIsNoAddressUntilOneReturns() {
        assertEquals(State.READY, see(true, true, null), "never had one: used from 0.0.0.0");
        see(true, true, "10.0.0.1");
        assertEquals(State.NO_ADDRESS, see(true, true, null));
        assertEquals(State.READY, see(true, true, "10.0.0.2"));
    }

    @Test
    void aRecreatedInterfaceStartsAfresh() {
        see(true, true, "10.0.0.1");
        readiness.forget("veth0");
        assertEquals(State.READY, see(true, false, null));
    }
}
