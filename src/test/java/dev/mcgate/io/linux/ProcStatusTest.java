package dev.mcgate.io.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Credentials read from a /proc status file, as the capability check and the privilege drop read them. */
class ProcStatusTest {

    private static final String STATUS = """
            Name:\tjava
            Umask:\t0022
            State:\tS (sleeping)
            Uid:\t65534\t65534\t65534\t65534
            Gid:\t65534\t65534\t65534\t65534
            Groups:\t
            CapInh:\t0000000000000000
            CapPrm:\t0000000000003000
            CapEff:\t0000000000002000
            CapBnd:\t0000000000003000
            CapAmb:\t0000000000000000
            NoNewPrivs:\t1
            """;

    @Test
    void uidsAndCapabilitySetsAreRead() throws IOException {
        ProcStatus s = ProcStatus.parse(STATUS);
        assertEquals(List.of(65534, 65534, 65534, 65534), s.uids());
        assertEquals(0x2000L, s.capEff());
        assertEquals(0x3000L, s.capPrm());
        assertEquals(0x3000L, s.capBnd());
    }

    @Test
    void gidsSupplementaryGroupsAndNoNewPrivsAreRead() throws IOException {
        ProcStatus s = ProcStatus.parse(STATUS.replace("Groups:\t\n", "Groups:\t0 4 27\n"));
        assertEquals(List.of(65534, 65534, 65534, 65534), s.gids());
        assertEquals(List.of(0, 4, 27), s.groups());
        assertTrue(s.noNewPrivs());
        ProcStatus none = ProcStatus.parse(STATUS.replace("NoNewPrivs:\t1", "NoNewPrivs:\t0"));
        assertEquals(List.of(), none.groups());
        assertFalse(none.noNewPrivs());
    }

    @Test
    void onlyWhatIsNotEffectiveIsMissing() throws IOException {
        ProcStatus s = ProcStatus.parse(STATUS);
        assertEquals(EnumSet.of(Capability.NET_ADMIN), s.missing(EnumSet.of(Capability.NET_RAW, Capability.NET_ADMIN)));
        assertEquals(EnumSet.noneOf(Capability.class), s.missing(EnumSet.of(Capability.NET_RAW)));
        assertEquals("CAP_NET_RAW", s.describeEffective());
    }

    @Test
    void rootsFullSetIsDescribedAsMoreThanOurs() throws IOException {
        ProcStatus root = ProcStatus.parse(STATUS.replace("0000000000002000", "000001ffffffffff"));
        assertEquals("CAP_NET_ADMIN CAP_NET_RAW and others (CapEff 1ffffffffff)", root.describeEffective());
        assertEquals(
                "none",
                ProcStatus.parse(STATUS.replace("0000000000002000", "0000000000000000"))
                        .describeEffective());
    }

    @Test
    void aFileWithoutTheLinesIsAnError() {
        assertThrows(IOException.class, () -> ProcStatus.parse("Name:\tjava\n"));
        assertThrows(IOException.class, () -> ProcStatus.parse(STATUS.replace("0000000000003000", "zz")));
    }

    @Test
    void theCallingThreadCanBeRead() throws IOException {
        ProcStatus self = ProcStatus.currentThread();
        assertEquals(4, self.uids().size());
    }
}
