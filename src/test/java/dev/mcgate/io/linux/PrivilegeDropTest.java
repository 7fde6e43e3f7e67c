package dev.mcgate.io.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The account lookups, both ways, through the system's user database (no privilege is changed). */
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
}
