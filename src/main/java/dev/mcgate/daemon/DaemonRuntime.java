package dev.mcgate.daemon;

import dev.mcgate.config.Format;
import dev.mcgate.config.LogLevel;
import dev.mcgate.config.McgateConfig;
import dev.mcgate.config.PacketIoEngine;
import dev.mcgate.config.XdpMode;
import dev.mcgate.control.DaemonSnapshot;
import dev.mcgate.control.Reloading;
import dev.mcgate.forward.Forwarder;
import dev.mcgate.io.PacketIo;
import dev.mcgate.io.linux.AfPacketPacketIo;
import dev.mcgate.io.linux.InterfaceWatcher;
import dev.mcgate.io.linux.SdNotify;
import dev.mcgate.io.linux.SystemInterfaces;
import dev.mcgate.io.pcap.PcapPacketIo;
import dev.mcgate.proxy.ProxyCore;
import dev.mcgate.time.EventLoop;
import dev.mcgate.time.RandomSource;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running daemon, wired: builds every part from the configuration in dependency order, opens the interfaces and
 * tunnels, runs until told to stop, and stops everything in the reverse order. {@code mcgate run} only parses its
 * arguments, drops privileges and hands over to it.
 *
 * <p>Threads it starts: the event loop (all protocol state and every interface's life), the I/O executor (port
 * opens and closes), the control socket's and the metrics endpoint's, the interface watcher, the tunnels' retries
 * and each port's capture thread. The calling thread waits in {@link #runUntil} and refreshes systemd's status line.
 */
public final class DaemonRuntime implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DaemonRuntime.class);
    /** Events waiting for the loop; a full inbox drops (and counts) rather than block a capture thread. */
    static final int LOOP_INBOX = 4096;
    /** How long start-up waits for the ports to open before saying it is ready (a slow one goes on opening). */
    private static final Duration OPENS_AT_START = Duration.ofSeconds(10);
    /** How often the STATUS line for systemd is recomputed (it is sent only when it changed). */
    private static final long STATUS_PERIOD_MS = 2_000;

    /**
     * What the daemon is started with.
     *
     * @param controlSocket   replaces the configuration's control-socket unless null ({@code run --control-socket})
     * @param logLevelChanged told the new level when a reload changes {@code log-level}
     */
    public record Settings(
            McgateConfig config,
            Path file,
            Format format,
            PacketIoEngine engine,
            XdpMode xdpMode,
            Path controlSocket,
            Duration interfacePoll,
            String version,
            Consumer<LogLevel> logLevelChanged) {}

    private final Settings settings;
    private final SdNotify notify;
    /** What stops on close, last built first. */
    private final Deque<AutoCloseable> built = new ArrayDeque<>();
    /** Stopped first, so that no request or reload reaches a daemon that is stopping. */
    private final Deque<AutoCloseable> operators = new ArrayDeque<>();

    private EventLoop loop;
    private SerialIoExecutor io;
    private ForwardingPlane forwarding;
    private InterfaceRegistry interfaces;
    private Tunnels tunnels;
    private HttpRelay httpRelay;
    private KafkaRelay kafkaRelay;
    private Reloading reloading;
    private final SystemInterfaces system = new SystemInterfaces();

    private DaemonRuntime(Settings settings, SdNotify notify) {
        this.settings = settings;
        this.notify = notify;
    }

    /**
     * Builds the daemon and starts its control plane (a second mcgate on the same socket is refused here, before any
     * interface is touched); nothing is opened yet.
     */
    public static DaemonRuntime build(Settings settings, SdNotify notify) throws ControlPlane.StartException {
        // Before the first thread of the daemon's starts: none of them may die quietly.
        FatalThreadHandler.install();
        DaemonRuntime runtime = new DaemonRuntime(settings, notify);
        try {
            runtime.wire();
            return runtime;
        } catch (ControlPlane.StartException | RuntimeException e) {
            runtime.close();
            throw e;
        }
    }

    private void wire() throws ControlPlane.StartException {
        McgateConfig config = settings.config();
        // The loop owns all protocol state; it is closed last, after every router on it has stopped.
        loop = closeLast(new EventLoop("mcgate-loop", LOOP_INBOX).start());
        startWatchdog();
        LoopBlockForTests.armIfAsked(loop);
        io = closeLast(new SerialIoExecutor());
        forwarding = new ForwardingPlane(config, loop, new Forwarder(System::nanoTime));
        EngineStatus engineStatus = EngineStatus.userSpace(settings.engine().keyword());
        if (settings.engine() == PacketIoEngine.NFT) {
            // Before any port opens: the first table already leaves the kernel's routes to the kernel. Its table goes
            // after the ports: nothing is forwarded for a daemon that has stopped.
            KernelFastPath.Result started = KernelFastPath.start();
            started.engine()
                    .ifPresentOrElse(
                            kernel -> {
                                closeLast(kernel);
                                forwarding.offloadTo(kernel);
                                LOG.info(
                                        "packet-io nft: the kernel forwards what its netdev rules can (table netdev mcgate); "
                                                + "capture and the rest through pcap");
                            },
                            () -> LOG.warn(
                                    "packet-io nft: forwarding in user space (pcap): {}",
                                    started.refusal().orElse("?")));
            engineStatus = EngineStatus.nft(started.engine(), started.refusal());
        } else {
            KernelFastPath.removeLeftover();
        }
        MembershipFanout memberships = new MembershipFanout();
        memberships.follow(forwarding::onMemberships);
        ProxyCore proxy = new ProxyCore(config, loop, RandomSource.seeded(new SecureRandom().nextLong()), memberships);
        IgmpRouting igmp = new IgmpRouting(loop, proxy, forwarding);
        interfaces = new InterfaceRegistry(
                config, loop, system, packetIo(settings.engine(), settings.xdpMode()), io, igmp, forwarding);
        tunnels = new Tunnels(config, loop, forwarding, proxy, proxy::snapshot);
        // The tunnels learn the proxy's requests for their groups (upstream role) through its snapshots.
        memberships.follow(tunnels::onMemberships);
        httpRelay = new HttpRelay(loop, forwarding, proxy);
        kafkaRelay = new KafkaRelay(loop, forwarding, proxy);
        ConfigReload configReload = new ConfigReload(
                settings.file(),
                settings.format(),
                config,
                new ConfigReload.Parts(interfaces, loop, proxy, forwarding, tunnels),
                settings.logLevelChanged(),
                path -> LOG.warn("reload: control-socket {} takes effect at the next start", path),
                closeFirst(new SerialThread("mcgate-reload")));
        reloading = new NotifyingReloading(withRelays(configReload), notify);
        ControlPlane control = closeFirst(ControlPlane.start(
                config,
                settings.controlSocket(),
                loop,
                interfaces,
                proxy,
                forwarding.forwarder(),
                settings.version(),
                reloading,
                tunnels::statuses,
                engineStatus));
        control.counters().add(httpRelay::recordInto);
        control.counters().add(kafkaRelay::recordInto);
        control.relays(() -> new DaemonSnapshot.Relays(httpRelay.view(), kafkaRelay.view()));
    }

    /**
     * The reload, then the HTTP and Kafka relays follow the configuration now running (the reload has already given
     * their ports the new settings in the forwarding table and the proxy its filters). A Kafka relay that could not
     * start is tried again at every reload, even one that changes nothing.
     */
    private Reloading withRelays(ConfigReload inner) {
        return () -> {
            Reloading.Outcome o = inner.reload();
            if (!o.applied()) {
                return o;
            }
            List<String> relay = new ArrayList<>(httpRelay.reconfigure(inner.running()));
            relay.addAll(kafkaRelay.reconfigure(inner.running()));
            relay.forEach(line -> LOG.info("reload: {}", line));
            if (relay.isEmpty()) {
                return o;
            }
            List<String> changes = new ArrayList<>(o.changes());
            changes.addAll(relay);
            return new Reloading.Outcome(true, o.message(), changes);
        };
    }

    /** What operators reach the daemon through (the control plane, the reload thread): stopped before the rest. */
    private <T extends AutoCloseable> T closeFirst(T part) {
        operators.push(part);
        return part;
    }

    /** systemd's watchdog (WatchdogSec=), fed by the loop itself: a stuck loop gets the service restarted. */
    private void startWatchdog() {
        if (!notify.enabled()) {
            return;
        }
        SdNotify.watchdogInterval(System.getenv(), ProcessHandle.current().pid())
                .ifPresent(interval -> {
                    LoopWatchdog watchdog = new LoopWatchdog(loop, interval, notify::watchdog);
                    loop.post("watchdog:start", watchdog::start);
                    LOG.info("systemd watchdog: WATCHDOG=1 from the event loop every {} ms", interval.toMillis() / 2);
                });
    }

    private <T extends AutoCloseable> T closeLast(T part) {
        built.push(part);
        return part;
    }

    private static PacketIo packetIo(PacketIoEngine engine, XdpMode xdpMode) {
        return switch (engine) {
            case AF_PACKET -> new AfPacketPacketIo();
            case AF_XDP ->
                new AfPacketPacketIo(AfPacketPacketIo.Options.xdp(
                        switch (xdpMode) {
                            case AUTO -> AfPacketPacketIo.Xdp.AUTO;
                            case NATIVE -> AfPacketPacketIo.Xdp.NATIVE;
                            case GENERIC -> AfPacketPacketIo.Xdp.GENERIC;
                        }));
            case PCAP, NFT -> new PcapPacketIo();
        };
    }

    /** What SIGHUP and the control socket's {@code reload} run. */
    public Reloading reloading() {
        return reloading;
    }

    /**
     * Opens the interfaces and tunnels.
     *
     * @return false if no interface could be opened although some are present (no privilege to capture, as a rule)
     */
    public boolean open() throws Exception {
        int opened = interfaces.start(OPENS_AT_START);
        tunnels.start();
        httpRelay.start(settings.config());
        kafkaRelay.start(settings.config());
        return opened > 0
                || interfaces.view().interfaces().stream()
                        .noneMatch(i -> i.netInterface().isPresent());
    }

    /** Follows the interfaces and keeps systemd told until {@code stop} counts down; then stops the interfaces. */
    public void runUntil(CountDownLatch stop) throws InterruptedException {
        try (InterfaceWatcher unused = new InterfaceWatcher(
                system,
                interfaces.view().seenInterfaces(),
                settings.interfacePoll(),
                changes -> {
                    interfaces.onInterfaceChanges(changes);
                    // An address that appeared may be the one a tunnel waits for (its socket could not be bound).
                    tunnels.retrySoon();
                },
                true)) {
            LOG.info("running; stop with SIGTERM");
            notify.ready();
            notify.status(StatusSummary.of(interfaces, forwarding.forwarder()).text());
            while (!stop.await(STATUS_PERIOD_MS, TimeUnit.MILLISECONDS)) {
                notify.status(
                        StatusSummary.of(interfaces, forwarding.forwarder()).text());
            }
            notify.stopping();
            LOG.info("stopping");
        }
    }

    /**
     * Stops everything: the control plane and the reload thread, then the tunnels, then the interfaces (upstream leaves
     * and router withdrawals go out while the ports are still open, then the ports close), then the kernel's table,
     * the I/O executor and the loop. Safe after a partial build.
     */
    @Override
    public void close() {
        closeAll(operators);
        if (kafkaRelay != null) {
            kafkaRelay.close();
        }
        if (httpRelay != null) {
            httpRelay.close();
        }
        if (tunnels != null) {
            tunnels.close();
        }
        if (interfaces != null) {
            interfaces.close(IoExecutor.DIRECT);
        }
        closeAll(built);
    }

    private static void closeAll(Deque<AutoCloseable> parts) {
        while (!parts.isEmpty()) {
            try {
                parts.pop().close();
            } catch (Exception e) {
                LOG.warn("stopping: {}", e.toString());
            }
        }
    }
}
