package dev.mcgate.daemon;

import dev.mcgate.io.NetInterface;
import java.util.HashSet;
import java.util.Set;

/**
 * Decides whether an interface that exists can carry IGMP and multicast now: it is down when administratively down
 * or when it lost a carrier it had, and it has no address when it lost the IPv4 address it had.
 *
 * <p>Only a carrier that was seen counts: a new veth stays not-RUNNING for about a second after {@code ip link set up}
 * (linkwatch) yet carries traffic, and an interface that never had an address is used from 0.0.0.0 as before
 * (RFC 3376 §4.2.13 allows it for reports). Not thread-safe: the daemon calls it under its lock.
 */
final class LinkReadiness {

    /** Whether an interface can be worked on, and if not, why (as shown in status). */
    enum State {
        READY("open"),
        DOWN("down"),
        NO_ADDRESS("no address");

        private final String note;

        State(String note) {
            this.note = note;
        }

        String note() {
            return note;
        }
    }

    private final Set<String> carrierSeen = new HashSet<>();
    private final Set<String> addressSeen = new HashSet<>();

    /** Records what a reading shows and says what it means. Call for every reading of every interface. */
    State observe(NetInterface nif) {
        String name = nif.name();
        if (!nif.flags().up()) {
            // Set up again, it is usable before linkwatch reports the carrier: forget the carrier it had.
            carrierSeen.remove(name);
            return State.DOWN;
        }
        if (nif.flags().running()) {
            carrierSeen.add(name);
        } else if (carrierSeen.contains(name)) {
            return State.DOWN;
        }
        if (!nif.addresses().isEmpty()) {
            addressSeen.add(name);
        } else if (addressSeen.contains(name)) {
            return State.NO_ADDRESS;
        }
        return State.READY;
    }

    /** What the last reading meant, without recording anything. */
    State stateOf(NetInterface nif) {
        String name = nif.name();
        if (!nif.flags().up() || !nif.flags().running() && carrierSeen.contains(name)) {
            return State.DOWN;
        }
        return nif.addresses().isEmpty() && addressSeen.contains(name) ? State.NO_ADDRESS : State.READY;
    }

    /** The interface is gone: one created under the same name later starts afresh. */
    void forget(String name) {
        carrierSeen.remove(name);
        addressSeen.remove(name);
    }
}
