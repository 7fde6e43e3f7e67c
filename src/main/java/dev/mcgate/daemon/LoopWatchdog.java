package dev.mcgate.daemon;

import dev.mcgate.time.Scheduler;
import java.time.Duration;

/**
 * Keeps systemd's watchdog fed from a timer on the event loop itself, at half the interval systemd asked for: a loop
 * that is stuck in a task, or dead, stops the pings, and systemd restarts the service (WatchdogSec=).
 *
 * <p>Why on the loop and not on a thread of its own: a healthy process with a stuck loop is exactly what must not look
 * alive (the capture threads go on forwarding from the last table while IGMP is no longer managed).
 */
final class LoopWatchdog {

    private final Scheduler loop;
    private final Duration period;
    private final Runnable ping;

    /**
     * @param interval the watchdog interval ({@code WATCHDOG_USEC}); the pings go out at half of it
     * @param ping     sends {@code WATCHDOG=1}
     */
    LoopWatchdog(Scheduler loop, Duration interval, Runnable ping) {
        this.loop = loop;
        this.period = interval.dividedBy(2);
        this.ping = ping;
    }

    /** Loop thread: the first ping now, then one every half interval for as long as the loop runs timers. */
    void start() {
        tick();
    }

    private void tick() {
        ping.run();
        loop.schedule("watchdog", period, this::tick);
    }
}
