package dev.mcgate.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Who may ask what of the control socket, decided on the peer's credentials. */
class ControlAccessTest {

    private static ControlRequest request(String command) {
        return ControlRequest.parse("text " + command);
    }

    @Test
    void groupMembersMayReadEverything() {
        for (String command : new String[] {"status", "groups", "routes", "counters", "ping"}) {
            assertEquals(
                    Optional.empty(),
                    ControlAccess.refusal(request(command), ControlAccess.Peer.GROUP_MEMBER),
                    command);
        }
    }

    @Test
    void onlyRootOrTheDaemonsUserMayReload() {
        assertEquals(
                Optional.empty(), ControlAccess.refusal(request("reload"), ControlAccess.Peer.ROOT_OR_DAEMON_USER));
        assertTrue(ControlAccess.refusal(request("reload"), ControlAccess.Peer.GROUP_MEMBER)
                .orElseThrow()
                .startsWith("reload is for root and mcgate's own user"));
    }
}
