package dev.mcgate.cli;

import dev.mcgate.config.LoadedConfig;
import dev.mcgate.control.Reloading;
import dev.mcgate.daemon.ControlPlane;
import dev.mcgate.daemon.Daemon;
import dev.mcgate.daemon.IgmpRouting;
import dev.mcgate.daemon.ForwardingPlane;
import dev.mcgate.forward.Forwarder;
import dev.mcgate.io.linux.MrouteCheck;
import dev.mcgate.proxy.ProxyCore;
import dev.mcgate.time.RandomSource;
import java.security.SecureRandom;
import dev.mcgate.io.linux.InterfaceWatcher;
import dev.mcgate.io.linux.SystemInterfaces;
import dev.mcgate.io.pcap.PcapPacketIo;
import dev.mcgate.time.EventLoop;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code mcgate run}: the daemon in the foreground, until SIGTERM or SIGINT.
 */
@Command(name = "run", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Run the daemon in the foreground until SIGTERM or SIGINT.",
            "Exit status: 0 after a clean stop, 78 bad configuration, 77 not permitted to capture, 69 libpcap missing,",
            "another mcgate on the control socket, or the metrics address cannot be bound."})
public final class RunCommand implements Callable<Integer> {

    /** slf4j-simple's threshold property; read once, when the first logger is made. */
    private static final String LOG_LEVEL_PROPERTY = "org.slf4j.simpleLogger.defaultLogLevel";

    /** Events waiting for the loop; a full inbox drops (and counts) rather than block a capture thread. */
    private static final int LOOP_INBOX = 4096;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    ConfigOptions options;

    @CommandLine.Option(names = "--interface-poll", paramLabel = "MS", defaultValue = "1000",
            description = "How often to look for interfaces that appear, disappear or change, in ms "
                    + "(default: ${DEFAULT-VALUE}).")
    long pollMillis;

    @CommandLine.Option(names = "--control-socket", paramLabel = "PATH",
            description = "The control socket, instead of control-socket of the file (several daemons on one host, "
                    + "tests).")
    java.nio.file.Path controlSocket;

    @Override
    public Integer call() throws Exception {
        if (pollMillis < 50 || pollMillis > 60_000) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--interface-poll must be 50..60000 ms, not " + pollMillis);
        }
        LoadedConfig loaded = options.load(spec.commandLine().getErr(), spec.qualifiedName());
        if (loaded == null) {
            return ExitCodes.CONFIG;
        }
        // The configured level applies unless given with -D; no logger may exist before this line.
        if (System.getProperty(LOG_LEVEL_PROPERTY) == null) {
            System.setProperty(LOG_LEVEL_PROPERTY, loaded.config().global().logLevel().keyword());
        }
        Logger log = LoggerFactory.getLogger(RunCommand.class);
        String pcapVersion;
        try {
            pcapVersion = PcapPacketIo.libraryVersion();
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            spec.commandLine().getErr().println(spec.qualifiedName() + ": libpcap cannot be loaded (" + e.getMessage()
                    + "); install it: apt-get install libpcap0.8");
            return ExitCodes.UNAVAILABLE;
        }
        log.info("mcgate {} starting with {} ({}), {}", VersionProvider.version(), options.file,
                loaded.detected().name().toLowerCase(java.util.Locale.ROOT), pcapVersion);

        // Another daemon holding the kernel's mroute socket makes the kernel forward too: every packet twice.
        MrouteCheck.Result mroute = new MrouteCheck().check();
        if (mroute.state() == MrouteCheck.State.HELD) {
            spec.commandLine().getErr().println(spec.qualifiedName() + ": " + mroute.message());
            return ExitCodes.UNAVAILABLE;
        }

        CountDownLatch stop = new CountDownLatch(1);
        StopSignals.onStop(stop::countDown);

        SystemInterfaces system = new SystemInterfaces();
        // The loop owns all protocol state; it is closed last, after the daemon has stopped every router on it.
        try (EventLoop loop = new EventLoop("mcgate-loop", LOOP_INBOX).start()) {
            ForwardingPlane forwarding = new ForwardingPlane(loaded.config(), loop, new Forwarder(System::nanoTime));
            ProxyCore proxy = new ProxyCore(loaded.config(), loop, RandomSource.seeded(new SecureRandom().nextLong()),
                    forwarding::onMemberships);
            try (IgmpRouting igmp = new IgmpRouting(loop, proxy, forwarding, forwarding.forwarder());
                    Daemon daemon = new Daemon(loaded.config(), system, new PcapPacketIo(), igmp.frameHandler(),
                            Daemon.PortListener.both(forwarding, igmp));
                    // The control socket and metrics; the integrator replaces the Reloading with ConfigReload.
                    ControlPlane control = ControlPlane.start(loaded.config(), controlSocket, loop, daemon, igmp, proxy,
                            forwarding.forwarder(), VersionProvider.version(),
                            () -> new Reloading.Outcome(false, "reload is not available in this build", List.of()))) {
                if (!runUntilStopped(daemon, igmp, system, stop, log)) {
                    return ExitCodes.NOPERM;
                }
            } catch (ControlPlane.StartException e) {
                spec.commandLine().getErr().println(spec.qualifiedName() + ": " + e.getMessage());
                return ExitCodes.UNAVAILABLE;
            }
        }
        log.info("stopped");
        return ExitCodes.OK;
    }

    /** Opens the interfaces and runs until a stop signal; false if nothing could be opened for lack of privilege. */
    private boolean runUntilStopped(Daemon daemon, IgmpRouting igmp, SystemInterfaces system, CountDownLatch stop,
            Logger log) throws InterruptedException {
        int opened = daemon.start();
        if (opened == 0 && daemon.interfaces().stream().anyMatch(i -> i.netInterface().isPresent())
                && !dev.mcgate.io.linux.Privileges.isRoot()) {
            spec.commandLine().getErr().println(spec.qualifiedName()
                    + ": no interface could be opened: capturing needs root or CAP_NET_RAW and CAP_NET_ADMIN");
            return false;
        }
        try (InterfaceWatcher unused = new InterfaceWatcher(system, daemon.seen(), Duration.ofMillis(pollMillis),
                daemon::onInterfaceChanges)) {
            log.info("running; stop with SIGTERM");
            stop.await();
            log.info("stopping");
        } finally {
            // Upstream leaves and router withdrawals go out while the ports are still open, whatever happened.
            igmp.close();
        }
        return true;
    }
}
