package dev.mcgate.daemon;

import dev.mcgate.config.TunnelConfig;
import dev.mcgate.config.TunnelKeyFile;
import dev.mcgate.time.Loop;
import dev.mcgate.tunnel.TunnelEndpoint;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What blocks in a tunnel's life, done on the tunnels' I/O thread and never on the loop: reading its key, binding its
 * socket and attaching its port to the forwarding plane; detaching and closing it. {@link Tunnels} decides on the
 * loop and hands these over.
 */
final class TunnelOpener {

    private static final Logger LOG = LoggerFactory.getLogger(Tunnels.class);

    /** One tunnel tried: its port (attached, not started) and key, or its slot as not open; and the slot it had. */
    record Attempt(TunnelConfig config, TunnelPort port, byte[] key, TunnelSlot notOpen, TunnelSlot before) {}

    private final Loop loop;
    private final ForwardingPlane forwarding;
    /** The endpoint listener of a tunnel, given the port it will belong to (set once the port exists). */
    private final BiFunction<TunnelConfig, AtomicReference<TunnelPort>, TunnelEndpoint.Listener> listeners;

    TunnelOpener(
            Loop loop,
            ForwardingPlane forwarding,
            BiFunction<TunnelConfig, AtomicReference<TunnelPort>, TunnelEndpoint.Listener> listeners) {
        this.loop = loop;
        this.forwarding = forwarding;
        this.listeners = listeners;
    }

    /**
     * Reads the key and binds the socket (the loop attaches the port when it installs it); on failure the slot not open, with the reason. Logs the
     * first failure, and a failure again only if its reason changed, so a tunnel retried every few seconds does not
     * fill the log.
     *
     * @param before the slot it had, or null if it is new
     */
    Attempt attempt(TunnelConfig tc, TunnelSlot before) {
        byte[] key;
        try {
            key = TunnelKeyFile.read(tc.keyFile());
        } catch (IOException e) {
            return failed(tc, before, "key-file " + tc.keyFile() + ": " + e.getMessage());
        }
        AtomicReference<TunnelPort> self = new AtomicReference<>();
        TunnelPort port;
        try {
            port = new TunnelPort(tc, key, loop, forwarding.forwarder(), listeners.apply(tc, self));
        } catch (IOException e) {
            return failed(tc, before, e.getMessage());
        }
        self.set(port);
        return new Attempt(tc, port, key, null, before);
    }

    private Attempt failed(TunnelConfig tc, TunnelSlot before, String reason) {
        boolean again = before != null && reason.equals(before.notOpen());
        if (again) {
            LOG.debug("tunnel {}: still not open: {}", tc.name(), reason);
        } else {
            LOG.warn(
                    "tunnel {}: not open: {}; retrying every {} s and when addresses change",
                    tc.name(),
                    reason,
                    Tunnels.RETRY_INTERVAL.toSeconds());
        }
        long since = before != null && before.failing() ? before.notOpenSince() : loop.nanoTime();
        return new Attempt(tc, null, null, TunnelSlot.notOpen(tc, reason, since), before);
    }

    /**
     * Logs the port's last status and closes its socket (the loop has taken it off its books and out of the
     * forwarding table already).
     *
     * @param why for the log: the reload's reason; null when stopping
     */
    void close(TunnelSlot s, String why) {
        TunnelConfig tc = s.config();
        TunnelPort port = s.port();
        if (why == null) {
            LOG.info("tunnel {}: closed; {}", tc.name(), port.status().describe());
        } else {
            LOG.info(
                    "tunnel {}: closed for the reload ({}); {}",
                    tc.name(),
                    why,
                    port.status().describe());
        }
        port.close();
    }

    /** An attempt's port that the loop did not take (closed meanwhile, or the loop did not answer). */
    void discard(Attempt a) {
        if (a.port() != null) {
            close(TunnelSlot.open(a.config(), a.port(), a.key()), "not taken");
        }
    }
}
