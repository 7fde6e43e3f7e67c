package dev.mcgate.daemon;

import dev.mcgate.config.ConfigDiff;
import dev.mcgate.config.ConfigError;
import dev.mcgate.config.ConfigException;
import dev.mcgate.config.ConfigLoader;
import dev.mcgate.config.Format;
import dev.mcgate.config.GlobalConfig;
import dev.mcgate.config.InterfaceConfig;
import dev.mcgate.config.LoadedConfig;
import dev.mcgate.config.LogLevel;
import dev.mcgate.config.McgateConfig;
import dev.mcgate.control.Reloading;
import dev.mcgate.proxy.ProxyCore;
import dev.mcgate.time.Loop;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reloads the configuration file the daemon was started with and applies it as a difference (SIGHUP, and the
 * control socket's {@code reload}); a file that does not load leaves the running configuration as it was.
 *
 * <p>Order of a reload: the key files of the tunnels are read; then one loop task takes every decision (which
 * tunnels close, change in place or open; a downstream-role tunnel's membership withdrawn under the old configuration;
 * the proxy, the forwarding table and the {@link InterfaceRegistry}, which closes the ports of removed interfaces,
 * closes and reopens those whose role changed and opens the new ones on the I/O executor); last, the tunnels' sockets
 * are closed and opened. If the loop does not take that task in time it is cancelled and the reload fails with the
 * configuration unchanged. Ports of unchanged interfaces and tunnels stay open throughout, so their flows never stop.
 * Threads: any thread but the loop's; reloads run one at a time on the serial executor.
 */
public final class ConfigReload implements Reloading {

    private static final Logger LOG = LoggerFactory.getLogger(ConfigReload.class);

    /** The parts of the daemon a reload reaches. */
    public record Parts(
            InterfaceRegistry interfaces, Loop loop, ProxyCore proxy, ForwardingPlane forwarding, Tunnels tunnels) {
        public Parts {
            Objects.requireNonNull(interfaces, "interfaces");
            Objects.requireNonNull(loop, "loop");
            Objects.requireNonNull(proxy, "proxy");
            Objects.requireNonNull(forwarding, "forwarding");
            Objects.requireNonNull(tunnels, "tunnels");
        }
    }

    private final Path file;
    private final Format format;
    private final Parts parts;
    private final Consumer<LogLevel> logLevelChanged;
    private final Consumer<Path> controlSocketChanged;
    /** Runs the reloads one at a time; only its thread touches the running configuration. */
    private final Executor serial;

    private volatile McgateConfig running;

    /**
     * @param file                 the file the daemon was started with
     * @param format               the format it was started with (AUTO recognises the file again)
     * @param running              the configuration running now
     * @param logLevelChanged      told the new level when {@code log-level} changed
     * @param controlSocketChanged told the new path when {@code control-socket} changed
     * @param serial               runs one reload at a time (SIGHUP and the control socket may ask at once); a reload
     *                             waits for the loop, so it is serialized by running on one thread, not by a lock
     */
    public ConfigReload(
            Path file,
            Format format,
            McgateConfig running,
            Parts parts,
            Consumer<LogLevel> logLevelChanged,
            Consumer<Path> controlSocketChanged,
            Executor serial) {
        this.serial = Objects.requireNonNull(serial, "serial");
        this.file = Objects.requireNonNull(file, "file");
        this.format = Objects.requireNonNull(format, "format");
        this.running = Objects.requireNonNull(running, "running");
        this.parts = Objects.requireNonNull(parts, "parts");
        this.logLevelChanged = Objects.requireNonNull(logLevelChanged, "logLevelChanged");
        this.controlSocketChanged = Objects.requireNonNull(controlSocketChanged, "controlSocketChanged");
    }

    /** The configuration in force: the one started with, or the last one reloaded. */
    public McgateConfig running() {
        return running;
    }

    /** Reloads on the serial executor and waits for the outcome (holding no lock meanwhile). */
    @Override
    public Outcome reload() {
        return CompletableFuture.supplyAsync(this::reloadNow, serial).join();
    }

    private Outcome reloadNow() {
        LoadedConfig loaded;
        try {
            loaded = ConfigLoader.load(file, format);
        } catch (ConfigException e) {
            List<ConfigError> errors = e.errors();
            String message = "reload refused, configuration unchanged: " + errors.get(0)
                    + (errors.size() > 1 ? " (and " + (errors.size() - 1) + " more errors)" : "");
            LOG.error("{}", message);
            return new Outcome(false, message, List.of());
        }
        loaded.warnings().forEach(w -> LOG.warn("reload: {}", w));
        // Settings read only at start stay as started in the running configuration, so that every reload says
        // again that they wait for a restart, until one happens.
        List<String> nextStartNotes = new ArrayList<>();
        ConfigDiff.between(running, loaded.config())
                .restartNeeded()
                .forEach(c -> nextStartNotes.add(c + ": takes effect at the next start"));
        GlobalConfig fromFile = loaded.config().global();
        GlobalConfig started = running.global();
        McgateConfig next = new McgateConfig(
                new GlobalConfig(
                        fromFile.controlSocket(),
                        fromFile.logLevel(),
                        fromFile.unlistedRole(),
                        started.packetIo(),
                        started.user(),
                        started.metricsListen(),
                        fromFile.httpRelay()),
                loaded.config().defaults(),
                loaded.config().interfaces(),
                loaded.config().tunnels(),
                loaded.config().kafka());
        nextStartNotes.forEach(n -> LOG.warn("reload: {}", n));
        ConfigDiff diff = ConfigDiff.between(running, next);
        // The tunnels are compared by their keys too (a key file with new content under the same path), so they
        // are asked even when the files' text says nothing changed. Their decisions and the daemon's part (only if
        // the file changed) are one loop task: it runs whole, or not at all and then nothing changed.
        Tunnels.Reconfigured tunnels;
        try {
            tunnels = parts.tunnels().reconfigure(next, diff.isEmpty() ? null : () -> applyOnLoop(next));
        } catch (WholeCall.NotTaken e) {
            String message =
                    "reload failed, configuration unchanged: the event loop did not take it (" + e.getMessage() + ")";
            LOG.error("{}", message);
            return new Outcome(false, message, List.of());
        } catch (RuntimeException e) {
            // A bug on the loop part-way through: some of it may be applied. Say so, and how to get out of it.
            String message =
                    "reload failed part-way, the daemon may run a mix of both configurations (restart it): " + e;
            LOG.error("{}", message, e);
            return new Outcome(false, message, List.of());
        }
        if (diff.isEmpty() && tunnels.tunnels().isEmpty()) {
            String message = file + ": reloaded, nothing changed" + (nextStartNotes.isEmpty() ? "" : " now");
            LOG.info("{}", message);
            return new Outcome(true, message, nextStartNotes);
        }
        McgateConfig before = running;
        List<String> changes = new ArrayList<>(tunnels.between());
        changes.addAll(tunnels.tunnels());
        running = next;
        if (diff.logLevelChanged()) {
            changes.add("log-level " + before.global().logLevel().keyword() + " -> "
                    + next.global().logLevel().keyword());
            logLevelChanged.accept(next.global().logLevel());
        }
        if (diff.controlSocketChanged()) {
            changes.add("control-socket " + before.global().controlSocket() + " -> "
                    + next.global().controlSocket());
            controlSocketChanged.accept(next.global().controlSocket());
        }
        if (diff.unlistedChanged()) {
            changes.add(
                    "unlisted interfaces: role " + next.global().unlistedRole().keyword()
                            + " and the defaults apply to interfaces the file does not name");
        }
        changes.addAll(nextStartNotes);
        String message = file + ": reloaded, " + changes.size() + (changes.size() == 1 ? " change" : " changes");
        LOG.info("{}", message);
        changes.forEach(c -> LOG.info("reload: {}", c));
        return new Outcome(true, message, changes);
    }

    /**
     * Loop thread, inside the reload's one loop task (after the tunnels' decisions): the proxy takes the new
     * configuration first (a removed upstream leaves its groups while its port is still open), then the forwarding
     * table, without the ports about to close, in the one table it publishes for the reload, then each interface
     * (ports close and open on the I/O executor, never on the loop).
     */
    private List<String> applyOnLoop(McgateConfig next) {
        parts.proxy().reconfigure(next);
        Map<String, InterfaceConfig> wanted = parts.interfaces().plan(next);
        // The forwarding table holds the tunnels' ports too (the registry has interfaces only).
        Map<String, InterfaceConfig> ports = new java.util.LinkedHashMap<>(wanted);
        next.tunnels().forEach(t -> ports.put(t.name(), t.asInterface()));
        // And the HTTP relay's port while the new configuration keeps the relay (it is stopped after, if not).
        next.httpRelayInterface().ifPresent(r -> ports.put(r.name(), r));
        // And the Kafka publisher's, likewise.
        next.kafkaRelayInterface().ifPresent(r -> ports.put(r.name(), r));
        parts.forwarding().reconfigure(next, ports);
        return parts.interfaces().reconfigure(next, wanted);
    }
}
