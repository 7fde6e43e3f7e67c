package dev.mcgate.daemon;

import dev.mcgate.control.Reloading;
import dev.mcgate.io.linux.SdNotify;

/**
 * Wraps the daemon's {@link Reloading} so that systemd knows a reload is under way: RELOADING=1 before, READY=1 after
 * (whether the file was applied or refused: the daemon runs either way), and the outcome as STATUS.
 */
public final class NotifyingReloading implements Reloading {

    private final Reloading inner;
    private final SdNotify notify;

    public NotifyingReloading(Reloading inner, SdNotify notify) {
        this.inner = inner;
        this.notify = notify;
    }

    @Override
    public Outcome reload() {
        notify.reloading();
        Outcome outcome = null;
        try {
            outcome = inner.reload();
            return outcome;
        } finally {
            if (outcome != null) {
                notify.status((outcome.applied() ? "reloaded: " : "reload refused: ") + outcome.message());
            }
            notify.ready();
        }
    }
}
