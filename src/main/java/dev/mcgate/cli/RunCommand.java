package dev.mcgate.cli;

import dev.mcgate.config.LoadedConfig;
import dev.mcgate.config.LogLevel;
import dev.mcgate.config.PacketIoEngine;
import dev.mcgate.config.XdpMode;
import dev.mcgate.daemon.ControlPlane;
import dev.mcgate.daemon.DaemonRuntime;
import dev.mcgate.io.linux.Capability;
import dev.mcgate.io.linux.ControlSocketDirectory;
import dev.mcgate.io.linux.MrouteCheck;
import dev.mcgate.io.linux.PrivilegeDrop;
import dev.mcgate.io.linux.ProcStatus;
import dev.mcgate.io.linux.SdNotify;
import dev.mcgate.io.pcap.PcapPacketIo;
import dev.mcgate.logging.Logging;
import java.io.IOException;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code mcgate run}: the daemon in the foreground, until SIGTERM or SIGINT.
 */
@Command(
        name = "run",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {
            "Run the daemon in the foreground until SIGTERM or SIGINT; SIGHUP reloads the configuration.",
            "Exit status: 0 after a clean stop, 78 bad configuration, 77 not permitted to capture, 69 libpcap missing,",
            "another mcgate on the control socket, or the metrics address cannot be bound; 67 no such user."
        })
public final class RunCommand implements Callable<Integer> {

    /**
     * What the daemon cannot work without. CAP_NET_RAW opens every packet socket (capture, injection, multicast MAC
     * filters). CAP_NET_ADMIN is neither needed nor kept: its two users have fallbacks (the MRT_INIT probe reads
     * /proc, SO_RCVBUFFORCE falls back to SO_RCVBUF under net.core.rmem_max); only packet-io nft's nft binary needs
     * it, and that engine falls back to pcap without it.
     */
    static final Set<Capability> REQUIRED_CAPABILITIES = EnumSet.of(Capability.NET_RAW);
    /** What --user keeps: no more than is required. */
    static final Set<Capability> KEPT_CAPABILITIES = REQUIRED_CAPABILITIES;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    ConfigOptions options;

    @CommandLine.Option(
            names = "--interface-poll",
            paramLabel = "MS",
            defaultValue = "1000",
            description = "How often to look for interfaces that appear, disappear or change, in ms, when netlink "
                    + "announcements cannot be heard (default: ${DEFAULT-VALUE}); with netlink every 10 s.")
    long pollMillis;

    @CommandLine.Option(
            names = "--log-level",
            paramLabel = "LEVEL",
            description = "error, warn, info, debug or trace; overrides log-level in the file.")
    LogLevel logLevel;

    @CommandLine.Option(
            names = "--user",
            paramLabel = "NAME",
            description = "Started as root, switch to this user (and its group, no other group) keeping only "
                    + "CAP_NET_RAW, with no_new_privs; overrides user in the file.")
    String user;

    @CommandLine.Option(
            names = "--packet-io",
            paramLabel = "ENGINE",
            converter = PacketIoConverter.class,
            description = "pcap, af-packet, af-xdp or nft; overrides packet-io in the file (to compare the engines).")
    PacketIoEngine packetIo;

    @CommandLine.Option(
            names = "--xdp-mode",
            paramLabel = "MODE",
            converter = XdpModeConverter.class,
            description = "auto, native or generic: where the af-xdp engine's XDP program runs; overrides xdp-mode in "
                    + "the file.")
    XdpMode xdpMode;

    /** The XDP mode names of the file, for the command line. */
    static final class XdpModeConverter implements CommandLine.ITypeConverter<XdpMode> {
        @Override
        public XdpMode convert(String value) {
            return keyword(value, XdpMode.fromKeyword(value), "auto, native or generic");
        }
    }

    /** {@code found}, the value a file keyword names, or a conversion error that lists the {@code choices}. */
    static <T> T keyword(String value, T found, String choices) {
        if (found == null) {
            throw new CommandLine.TypeConversionException("must be " + choices + ", not '" + value + "'");
        }
        return found;
    }

    /** The engine names of the file, for the command line. */
    static final class PacketIoConverter implements CommandLine.ITypeConverter<PacketIoEngine> {
        @Override
        public PacketIoEngine convert(String value) {
            return keyword(value, PacketIoEngine.fromKeyword(value), "pcap, af-packet, af-xdp or nft");
        }
    }

    @CommandLine.Option(
            names = "--control-socket",
            paramLabel = "PATH",
            description = "The control socket, instead of control-socket of the file (several daemons on one host, "
                    + "tests).")
    java.nio.file.Path controlSocket;

    @Override
    public Integer call() throws Exception {
        if (pollMillis < 50 || pollMillis > 60_000) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(), "--interface-poll must be 50..60000 ms, not " + pollMillis);
        }
        LoadedConfig loaded = options.load(spec.commandLine().getErr(), spec.qualifiedName());
        if (loaded == null) {
            return ExitCodes.CONFIG;
        }
        Logging.setLevel(logLevel != null ? logLevel : loaded.config().global().logLevel());
        Logger log = LoggerFactory.getLogger(RunCommand.class);
        String pcapVersion;
        try {
            pcapVersion = PcapPacketIo.libraryVersion();
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            if (engine(loaded) == PacketIoEngine.PCAP) {
                spec.commandLine()
                        .getErr()
                        .println(spec.qualifiedName() + ": libpcap cannot be loaded (" + e.getMessage()
                                + "); install it: apt-get install libpcap0.8");
                return ExitCodes.UNAVAILABLE;
            }
            pcapVersion = "no libpcap (the af-packet and af-xdp engines do not need it)";
        }
        log.info(
                "mcgate {} starting with {} ({}), {}, packet I/O {}",
                VersionProvider.version(),
                options.file,
                loaded.detected().name().toLowerCase(java.util.Locale.ROOT),
                pcapVersion,
                engine(loaded).keyword());

        // Before any thread of ours starts: setuid reaches every thread, capabilities stay with the calling one.
        Optional<String> account =
                Optional.ofNullable(user).or(() -> loaded.config().global().user());
        if (account.isPresent()) {
            becomeUser(
                    account.get(),
                    controlSocket != null
                            ? controlSocket
                            : loaded.config().global().controlSocket(),
                    log);
        }
        requireCapabilities();

        // Another daemon holding the kernel's mroute socket makes the kernel forward too: every packet twice.
        MrouteCheck.Result mroute = new MrouteCheck().check();
        if (mroute.state() == MrouteCheck.State.HELD) {
            spec.commandLine().getErr().println(spec.qualifiedName() + ": " + mroute.message());
            return ExitCodes.UNAVAILABLE;
        }
        if (mroute.state() == MrouteCheck.State.NO_MULTICAST_ROUTING) {
            log.info("{}", mroute.message());
        }

        SdNotify notify = SdNotify.fromEnvironment();
        CountDownLatch stop = new CountDownLatch(1);
        StopSignals.onStop(stop::countDown);
        DaemonRuntime.Settings settings = new DaemonRuntime.Settings(
                loaded.config(),
                options.file,
                options.format,
                engine(loaded),
                xdpMode != null ? xdpMode : loaded.config().global().xdpMode(),
                controlSocket,
                Duration.ofMillis(pollMillis),
                VersionProvider.version(),
                this::reloadLogLevel);
        try (DaemonRuntime daemon = DaemonRuntime.build(settings, notify);
                // SIGHUP reloads the file (systemd hears RELOADING=1, then READY=1); the control socket's reload
                // command calls the same object. Closed first: no reload starts while the daemon stops.
                ReloadSignal unused = ReloadSignal.install(daemon.reloading())) {
            if (!daemon.open() && !dev.mcgate.io.linux.Privileges.isRoot()) {
                spec.commandLine()
                        .getErr()
                        .println(spec.qualifiedName()
                                + ": no interface could be opened: capturing needs root or CAP_NET_RAW");
                return ExitCodes.NOPERM;
            }
            daemon.runUntil(stop);
        } catch (ControlPlane.StartException e) {
            spec.commandLine().getErr().println(spec.qualifiedName() + ": " + e.getMessage());
            return ExitCodes.UNAVAILABLE;
        }
        log.info("stopped");
        return ExitCodes.OK;
    }

    /** Switches to an unprivileged user (exit 67 if it does not exist, 77 if that fails). */
    private void becomeUser(String name, java.nio.file.Path socket, Logger log) {
        PrivilegeDrop.Account target = PrivilegeDrop.lookup(name)
                .orElseThrow(() -> new CommandFailure(
                        ExitCodes.NOUSER,
                        "no user '" + name + "' on this system (create it: systemd-sysusers, or useradd " + "--system "
                                + name + ")"));
        try {
            if (ProcStatus.currentThread().uids().stream().allMatch(u -> u == target.uid())) {
                return; // started as that user already (systemd's User=): nothing to give up
            }
            if (!ControlSocketDirectory.prepare(socket, target)) {
                log.warn(
                        "{} is not mcgate's own directory and is left as it is: user {} must be able to create {} "
                                + "there",
                        socket.getParent(),
                        name,
                        socket.getFileName());
            }
            ProcStatus now = PrivilegeDrop.dropTo(target, KEPT_CAPABILITIES);
            log.info(
                    "running as user {} (uid {}, gid {}) with {}",
                    name,
                    target.uid(),
                    target.gid(),
                    now.describeEffective());
        } catch (IOException e) {
            throw new CommandFailure(ExitCodes.NOPERM, "cannot switch to user " + name + ": " + e.getMessage());
        }
    }

    /** Exit 77 with one line naming each missing capability, what it is for and how to grant it. */
    private static void requireCapabilities() {
        Set<Capability> missing;
        try {
            missing = ProcStatus.currentThread().missing(REQUIRED_CAPABILITIES);
        } catch (IOException e) {
            return; // no /proc to ask: opening the interfaces will tell
        }
        if (!missing.isEmpty()) {
            Capability c = missing.iterator().next();
            throw new CommandFailure(
                    ExitCodes.NOPERM,
                    c.capName() + " is missing (needed for " + c.purpose()
                            + "): run as root, or grant it with AmbientCapabilities=CAP_NET_RAW in the systemd unit, or "
                            + "'setcap cap_net_raw+ep' on a java binary only mcgate uses");
        }
    }

    /** A log-level changed in the file applies at once, unless --log-level was given: the command line wins. */
    private void reloadLogLevel(LogLevel level) {
        if (logLevel != null) {
            LoggerFactory.getLogger(RunCommand.class)
                    .info(
                            "reload: log-level {} in the file ignored: --log-level {} " + "given",
                            level.keyword(),
                            logLevel.keyword());
        } else {
            Logging.setLevel(level);
        }
    }

    /** The packet I/O engine: the command line's, else the file's. */
    private PacketIoEngine engine(LoadedConfig loaded) {
        return packetIo != null ? packetIo : loaded.config().global().packetIo();
    }
}
