package dev.mcgate.control;

import java.util.List;

/**
 * Something that can read its configuration file again and apply it (the daemon); what {@code mcgate reload} and
 * SIGHUP ask for.
 */
public interface Reloading {

    /**
     * Reads the configuration file again and applies what changed. A file that does not load changes nothing.
     * Never throws for a bad file: the outcome says why.
     */
    Outcome reload();

    /**
     * @param applied true if the new file was loaded and applied (an unchanged file counts as applied)
     * @param message one line for the operator: what changed, or why the file was refused (FILE:LINE: ...)
     * @param changes what was done, one line each (empty if nothing changed or the file was refused)
     */
    record Outcome(boolean applied, String message, List<String> changes) {
        public Outcome {
            changes = List.copyOf(changes);
        }
    }
}
