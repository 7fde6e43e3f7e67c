package dev.mcgate.lab;

import dev.mcgate.config.ConfigException;
import dev.mcgate.config.ConfigLoader;
import dev.mcgate.config.Format;
import dev.mcgate.net.Ip4;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/**
 * mcgate as a forwarder under test: a separate process in the router namespace (or, for the tunnel path, in a
 * gateway's), pinned to the router CPU, started with its configuration plus whatever selects its data-plane engine.
 */
final class McgateUnderTest implements BenchForwarder {

    static final String READY = "running; stop with SIGTERM";
    private static final long START_TIMEOUT_MS = 30_000;

    private final String name;
    private final String namespace;
    private final List<String> receivers;
    private final List<String> javaCommand;
    private final List<String> engineArguments;
    private final Path config;
    private final Path log;
    private Process process;

    /**
     * @param name e.g. {@code mcgate[pcap]}
     * @param namespace where it runs
     * @param receivers the namespaces of the receivers it serves, see {@link BenchForwarder#receivers()}
     * @param javaCommand java and its class path, up to and including the main class
     * @param engineArguments added after {@code run -c FILE}: what selects the engine under test
     * @param config the configuration file to run with
     * @param log where its stderr goes (for the operator, and for errors at start)
     */
    McgateUnderTest(
            String name,
            String namespace,
            List<String> receivers,
            List<String> javaCommand,
            List<String> engineArguments,
            Path config,
            Path log) {
        this.name = name;
        this.namespace = namespace;
        this.receivers = List.copyOf(receivers);
        this.javaCommand = List.copyOf(javaCommand);
        this.engineArguments = List.copyOf(engineArguments);
        this.config = config;
        this.log = log;
    }

    /**
     * mcgate with {@code engine} in the bench lab's router, serving both receivers, with {@code config}; its log in
     * {@code directory}, named after the engine and {@code role} (empty for the forwarding rows).
     */
    static McgateUnderTest inRouter(
            LabTopology topology,
            LabBench.Engine engine,
            List<String> javaCommand,
            Path config,
            Path directory,
            String role) {
        String file = engine.name().replaceAll("[^a-z0-9-]", "_") + (role.isEmpty() ? "" : "-" + role) + ".log";
        return new McgateUnderTest(
                engine.name(),
                topology.router(),
                topology.receivers(),
                javaCommand,
                engine.runArguments(),
                config,
                directory.resolve(file));
    }

    /**
     * As {@link #inRouter}, with its configuration {@code configText} written to {@code directory} first (as
     * {@code mcgate-ROLE.conf}): the relay rows' daemons.
     */
    static McgateUnderTest inRouter(
            LabTopology topology,
            LabBench.Engine engine,
            List<String> javaCommand,
            String configText,
            Path directory,
            String role)
            throws LabException {
        Path config = directory.resolve("mcgate-" + role + ".conf");
        try {
            Files.writeString(config, configText);
        } catch (IOException e) {
            throw new LabException("cannot write " + config + ": " + e.getMessage());
        }
        return inRouter(topology, engine, javaCommand, config, directory, role);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public List<String> receivers() {
        return receivers;
    }

    @Override
    public boolean followsJoins() {
        return true;
    }

    Path log() {
        return log;
    }

    /** Waits until its control socket says every interface is open with its IGMP side: reports are taken then. */
    @Override
    public void start() throws LabException {
        launch();
        awaitReady();
    }

    /** Asks it what it holds, on the control socket its configuration names. */
    ControlSocketProbe probe() throws LabException {
        try {
            return new ControlSocketProbe(
                    ConfigLoader.load(config, Format.AUTO).config().global().controlSocket());
        } catch (ConfigException e) {
            throw new LabException(
                    "cannot read the control socket of " + name + " from " + config + ": " + e.getMessage());
        }
    }

    private void awaitReady() throws LabException {
        try {
            Optional<String> notReady = probe().awaitReady(process, START_TIMEOUT_MS);
            if (notReady.isPresent()) {
                throw new LabException(name + ": " + notReady.get() + ": " + tail());
            }
        } catch (IOException e) {
            throw new LabException("cannot read the log of " + name + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LabException("interrupted while waiting for " + name);
        }
    }

    /** Starts the process and returns at once: {@link #start} waits until it is ready. */
    void launch() throws LabException {
        List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
        command.addAll(BenchProcesses.pinned(BenchProcesses.ROUTER_CPU));
        List<String> java = JvmFlags.withSmallFootprint(javaCommand);
        command.addAll(java);
        command.addAll(List.of("run", "-c", config.toString()));
        command.addAll(engineArguments);
        try {
            Files.deleteIfExists(log);
            process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
        } catch (IOException e) {
            throw new LabException("cannot start " + name + ": " + e.getMessage());
        }
    }

    /** Waits until its log has a line containing {@code text}: ready ({@link #READY}). */
    void awaitLine(String text) throws LabException {
        awaitUntil(
                "'" + text + "'",
                () -> Files.exists(log) && Files.readString(log).contains(text));
    }

    /** Waits until its tunnel {@code tunnel}'s peer is up, as its control socket {@code socket} says. */
    void awaitTunnelUp(Path socket, String tunnel) throws LabException {
        awaitUntil(
                "tunnel " + tunnel + " up on " + socket,
                () -> TunnelStateProbe.state(socket, tunnel)
                        .filter("up"::equals)
                        .isPresent());
    }

    /** A condition on the running process, asked every 50 ms. */
    private interface Condition {
        boolean holds() throws IOException;
    }

    private void awaitUntil(String what, Condition condition) throws LabException {
        try {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(START_TIMEOUT_MS);
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw new LabException(name + " exited with " + process.exitValue() + " at start: " + tail());
                }
                if (condition.holds()) {
                    return;
                }
                Thread.sleep(50);
            }
            throw new LabException(name + ": no " + what + " within " + START_TIMEOUT_MS + " ms: " + tail());
        } catch (IOException e) {
            throw new LabException("cannot read the log of " + name + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LabException("interrupted while waiting for " + name);
        }
    }

    private String tail() throws IOException {
        List<String> lines = Files.exists(log) ? Files.readAllLines(log) : List.of();
        return String.join(" | ", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
    }

    @Override
    public void routeTo(List<Integer> receivers, List<Ip4> groups) {
        // mcgate forwards what the receivers' kernels join: nothing to install.
    }

    /**
     * CPU 1's busy time, as for the kernel's forwarders: mcgate runs there with its ingress softirq, and with the nft
     * engine the forwarding itself is softirq work that its process time would not show.
     */
    @Override
    public long cpuNanos() throws LabException {
        return BenchProcesses.routerCpuBusyNanos();
    }

    @Override
    public OptionalLong residentKib() throws LabException {
        return OptionalLong.of(BenchProcesses.residentKib(pid()));
    }

    private long pid() throws LabException {
        if (process == null || !process.isAlive()) {
            throw new LabException(name + " is not running");
        }
        return process.pid();
    }

    @Override
    public void stop() {
        BenchProcesses.stop(process, 10_000);
        process = null;
    }
}
