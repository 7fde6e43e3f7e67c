package dev.mcgate.io.linux;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** SIGHUP is bit 0 of the SigIgn mask: under nohup the mask is 1, in a shell usually 0 or SIGPIPE's bit only. */
class HangupSignalTest {

    @Test
    void theIgnoredMaskIsReadForSighupAlone() {
        assertTrue(HangupSignal.ignoredIn("Name:\tjava\nSigIgn:\t0000000000000001\nSigCgt:\t0\n"));
        assertTrue(HangupSignal.ignoredIn("SigIgn:\t0000000000001001\n"));
        assertFalse(HangupSignal.ignoredIn("SigIgn:\t0000000000001000\n"), "SIGPIPE alone");
        assertFalse(HangupSignal.ignoredIn("SigIgn:\t0000000000000000\n"));
        assertFalse(HangupSignal.ignoredIn("Name:\tjava\n"), "no mask: nothing known to be ignored");
    }
}
