package dev.mcgate.io.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The account lookups, both ways, through the system's user database, and the check made after a drop (no privilege is
 * changed).
 */
class PrivilegeDropTest {

    @Test
    void theEffectiveUserIsNamedAsTheJvmNamesTheUserThatStartedIt() throws Exception {
        // Nothing has switched users in this JVM: the uid in /proc, named through getpwuid, is the JVM's user.name,
        // and getpwnam takes that name back to the same uid.
        String name = PrivilegeDrop.effectiveUserName();
        assertEquals(System.getProperty("user.name"), name);
        assertEquals(
                ProcStatus.currentThread().uids().get(1),
                PrivilegeDrop.lookup(name).orElseThrow().uid());
    }

    private static final PrivilegeDrop.Account MCGATE = new PrivilegeDrop.Account("mcgate", 999, 998);
    private static final long NET_RAW = Capability.NET_RAW.bit();

    /** A thread's status file after a drop to MCGATE keeping CAP_NET_RAW; each test spoils one line. */
    private static String dropped() {
        return """
                Uid:\t999\t999\t999\t999
                Gid:\t998\t998\t998\t998
                Groups:\t
                CapPrm:\t0000000000002000
                CapEff:\t0000000000002000
                NoNewPrivs:\t1
                """;
    }

    private static Optional<String> mismatch(String status) throws IOException {
        return PrivilegeDrop.mismatch(ProcStatus.parse(status), MCGATE, NET_RAW);
    }

    @Test
    void aCompleteDropPasses() throws IOException {
        assertEquals(Optional.empty(), mismatch(dropped()));
    }

    @Test
    void aUidOrGidLeftBehindFails() throws IOException {
        assertEquals(
                Optional.of("uids [999, 0, 999, 999]"), mismatch(dropped().replace("Uid:\t999\t999", "Uid:\t999\t0")));
        assertEquals(
                Optional.of("gids [998, 998, 0, 998]"),
                mismatch(dropped().replace("998\t998\t998\t998", "998\t998\t0\t998")));
    }

    @Test
    void rootsSupplementaryGroupsLeftFail() throws IOException {
        assertEquals(
                Optional.of("supplementary groups [0, 6]"), mismatch(dropped().replace("Groups:\t", "Groups:\t0 6")));
    }

    @Test
    void capNetAdminKeptOrNoNewPrivsUnsetFails() throws IOException {
        assertTrue(mismatch(dropped().replace("CapEff:\t0000000000002000", "CapEff:\t0000000000003000"))
                .orElseThrow()
                .startsWith("capabilities CAP_NET_ADMIN CAP_NET_RAW"));
        assertEquals(
                Optional.of("no_new_privs unset"), mismatch(dropped().replace("NoNewPrivs:\t1", "NoNewPrivs:\t0")));
    }
}
