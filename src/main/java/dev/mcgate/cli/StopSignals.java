package dev.mcgate.cli;

import sun.misc.Signal;

/**
 * Turns SIGTERM and SIGINT into a call to a stop action, so that a long-running command ends through its normal path:
 * it prints its summary, closes what it opened and returns its own exit code instead of the signal's 130 or 143.
 *
 * <p>The action runs on the JVM's signal thread: it must only flag or wake the main thread, never block (smcroute's
 * rule: the handler sets a flag, the loop acts). A background job of a non-interactive shell starts with SIGINT
 * ignored; the JVM then leaves SIGINT alone, and SIGTERM is the way to stop it.
 */
final class StopSignals {

    private StopSignals() {}

    static void onStop(Runnable stop) {
        for (String name : new String[] {"TERM", "INT"}) {
            try {
                Signal.handle(new Signal(name), s -> stop.run());
            } catch (IllegalArgumentException e) {
                // The JVM reserves the signal (-Xrs) or it is not available here: the default action stays.
            }
        }
    }
}
