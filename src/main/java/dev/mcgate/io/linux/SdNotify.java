package dev.mcgate.io.linux;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells systemd how the service is doing (sd_notify(3)): {@code READY=1}, {@code RELOADING=1}, {@code STOPPING=1},
 * {@code STATUS=...}, {@code WATCHDOG=1}, as datagrams to the AF_UNIX socket named by {@code $NOTIFY_SOCKET}.
 *
 * <p>Without a socket (not started by systemd, or not Type=notify) every call does nothing. A failed send is logged
 * once and never stops the daemon: systemd would only see the service as not ready. Thread-safe.
 */
public final class SdNotify {

    private static final Logger LOG = LoggerFactory.getLogger(SdNotify.class);

    private final Optional<String> socket;
    private final LongSupplier monotonicNanos;
    private boolean failureLogged;
    private String lastStatus;

    /**
     * @param socket         the notification socket: a path, or {@code @name} for an abstract socket; empty for none
     * @param monotonicNanos CLOCK_MONOTONIC in nanoseconds (System::nanoTime on Linux), sent with RELOADING=1
     */
    public SdNotify(Optional<String> socket, LongSupplier monotonicNanos) {
        this.socket = socket.filter(s -> !s.isEmpty());
        this.monotonicNanos = monotonicNanos;
    }

    /** The socket systemd gave this process in {@code $NOTIFY_SOCKET}, if any. */
    public static SdNotify fromEnvironment() {
        return new SdNotify(Optional.ofNullable(System.getenv("NOTIFY_SOCKET")), System::nanoTime);
    }

    public boolean enabled() {
        return socket.isPresent();
    }

    /** Start-up is complete (or a reload is): the interfaces are open and the loop runs. */
    public void ready() {
        send("READY=1");
    }

    /**
     * A reload begins; call {@link #ready()} when it is done, whether it succeeded or not. MONOTONIC_USEC lets a
     * systemd that supports Type=notify-reload match this message to its reload request.
     */
    public void reloading() {
        send("RELOADING=1\nMONOTONIC_USEC=" + monotonicNanos.getAsLong() / 1000);
    }

    /** The service is alive: sent at half of {@link #watchdogInterval} while the event loop runs. */
    public void watchdog() {
        send("WATCHDOG=1");
    }

    /**
     * The watchdog interval systemd asks for ({@code WatchdogSec=}), as sd_watchdog_enabled(3) reads it:
     * {@code $WATCHDOG_USEC}, a positive number of microseconds, for this process if {@code $WATCHDOG_PID} is unset or
     * names it. Empty when there is no watchdog, or the variables make no sense (then nothing is sent).
     */
    public static Optional<Duration> watchdogInterval(Map<String, String> environment, long pid) {
        String usec = environment.get("WATCHDOG_USEC");
        String forPid = environment.get("WATCHDOG_PID");
        try {
            if (usec == null || (forPid != null && Long.parseLong(forPid.strip()) != pid)) {
                return Optional.empty();
            }
            long micros = Long.parseLong(usec.strip());
            return micros > 0 ? Optional.of(Duration.ofNanos(Math.multiplyExact(micros, 1000L))) : Optional.empty();
        } catch (NumberFormatException | ArithmeticException e) {
            return Optional.empty();
        }
    }

    /** A stop begins. */
    public void stopping() {
        send("STOPPING=1");
    }

    /** A one-line status for {@code systemctl status}; sent only when it changed, so it may be called often. */
    public void status(String line) {
        String oneLine = line.replace('\n', ' ');
        synchronized (this) {
            if (oneLine.equals(lastStatus)) {
                return;
            }
            lastStatus = oneLine;
        }
        send("STATUS=" + oneLine);
    }

    /** Sends one notification; false if there is no socket or it failed (logged the first time). */
    synchronized boolean send(String state) {
        if (socket.isEmpty()) {
            return false;
        }
        try {
            UnixDatagram.send(socket.get(), state.getBytes(StandardCharsets.UTF_8));
            return true;
        } catch (IOException | RuntimeException | LinkageError e) {
            if (!failureLogged) {
                failureLogged = true;
                LOG.warn(
                        "cannot notify systemd ({}): {}; further failures are not logged",
                        state.lines().findFirst().orElse(state),
                        e.getMessage());
            }
            return false;
        }
    }
}
