package dev.mcgate.lab;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The Kafka broker of {@code lab bench}'s Kafka rows: {@link KafkaBrokerProcess} in a JVM of its own in the router's
 * namespace, on the sender's CPU (the router's CPU measures mcgate alone), listening on that namespace's loopback.
 * Its class path is mcgate's plus the broker's jars, which the build puts in {@code bench-lib/} beside the jar and
 * never on the daemon's class path.
 */
final class BenchKafkaBroker implements AutoCloseable {

    /** The directory beside mcgate's jar that holds the broker's jars (the build's target/bench-lib). */
    static final String BENCH_LIB = "bench-lib";

    private static final String BROKER_CLASS = "kafka.server.KafkaRaftServer";
    private static final long START_LIMIT_SECONDS = 90;
    private static final int CPU = 0;

    private final Process process;
    private final String bootstrapServers;
    private final Path logDir;

    private BenchKafkaBroker(Process process, String bootstrapServers, Path logDir) {
        this.process = process;
        this.bootstrapServers = bootstrapServers;
        this.logDir = logDir;
    }

    /**
     * The broker's class path from mcgate's: with {@code bench-lib/} beside one of its jars, or mcgate's own where the
     * broker's classes are on it already (the build's test class path); empty where neither holds.
     */
    static Optional<String> classPath(String mcgateClassPath, ClassLoader loader) {
        for (String entry : mcgateClassPath.split(java.io.File.pathSeparator)) {
            Path parent = Path.of(entry).toAbsolutePath().getParent();
            if (entry.endsWith(".jar") && parent != null && hasJars(parent.resolve(BENCH_LIB))) {
                return Optional.of(mcgateClassPath + java.io.File.pathSeparator + parent.resolve(BENCH_LIB) + "/*");
            }
        }
        try {
            Class.forName(BROKER_CLASS, false, loader);
            return Optional.of(mcgateClassPath);
        } catch (ClassNotFoundException | LinkageError e) {
            return Optional.empty();
        }
    }

    /** Why there are no Kafka rows where {@link #classPath} is empty: one line for the report. */
    static String missingReason() {
        return "no Kafka broker to measure against: the broker's jars are not installed (the build puts them in "
                + "target/" + BENCH_LIB + "/, beside mcgate.jar; run lab bench from the build's target/mcgate.jar)";
    }

    /**
     * Starts the broker in {@code namespace}, its log in {@code directory}; waits until it is up. Its records go to a
     * directory of their own under java.io.tmpdir, not the lab's (on /run, in memory): a full run writes hundreds of
     * MB. {@link #close} deletes them.
     */
    static BenchKafkaBroker start(String java, String classPath, String namespace, Path directory) throws LabException {
        Path logDir;
        try {
            logDir = Files.createTempDirectory("mcgate-bench-kafka");
        } catch (IOException e) {
            throw new LabException("cannot make the Kafka broker's log directory: " + e.getMessage());
        }
        Path log = directory.resolve("kafka-broker.log");
        List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
        command.addAll(BenchProcesses.pinned(CPU));
        command.addAll(List.of(
                java,
                "-Xmx512m",
                // The node logs hundreds of INFO lines at start; its warnings are enough in its log.
                "-Dmcgate.log.kafka=WARN",
                "-Dmcgate.log.state.change.logger=WARN",
                "-Dmcgate.log.org.apache.kafka=WARN",
                "-cp",
                classPath,
                KafkaBrokerProcess.class.getName(),
                logDir.toString(),
                "127.0.0.1"));
        Process p;
        try {
            p = new ProcessBuilder(command).redirectError(log.toFile()).start();
        } catch (IOException e) {
            BenchLab.deleteTree(logDir);
            throw new LabException("cannot start the Kafka broker: " + e.getMessage());
        }
        CompletableFuture<String> ready = CompletableFuture.supplyAsync(() -> readyLine(p));
        try {
            String bootstrap = ready.get(START_LIMIT_SECONDS, TimeUnit.SECONDS);
            if (bootstrap == null) {
                throw new LabException("the Kafka broker exited at start: " + tail(log));
            }
            // What it prints later is read and dropped: a full pipe would stop the broker.
            Thread drain = new Thread(() -> drain(p), "bench-kafka-stdout");
            drain.setDaemon(true);
            drain.start();
            return new BenchKafkaBroker(p, bootstrap, logDir);
        } catch (TimeoutException e) {
            throw failed(p, logDir, "the Kafka broker was not up within " + START_LIMIT_SECONDS + " s: " + tail(log));
        } catch (java.util.concurrent.ExecutionException e) {
            throw failed(p, logDir, "the Kafka broker did not start: " + e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failed(p, logDir, "interrupted while the Kafka broker started");
        } catch (LabException e) {
            throw failed(p, logDir, e.getMessage());
        }
    }

    private static LabException failed(Process p, Path logDir, String why) {
        BenchProcesses.stop(p, 5000);
        BenchLab.deleteTree(logDir);
        return new LabException(why);
    }

    /** host:port, in the router's namespace. */
    String bootstrapServers() {
        return bootstrapServers;
    }

    /** Its end of stdin closed (it stops itself), then SIGTERM if it is still there after 20 s. */
    @Override
    public void close() {
        try {
            process.getOutputStream().close();
            process.waitFor(20, TimeUnit.SECONDS);
        } catch (IOException e) {
            // gone already
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        BenchProcesses.stop(process, 5000);
        BenchLab.deleteTree(logDir);
    }

    private static void drain(Process p) {
        try {
            p.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
        } catch (IOException e) {
            // the broker is gone
        }
    }

    /** The bootstrap address from its ready line; null if its output ended first. */
    private static String readyLine(Process p) {
        try {
            BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (line.startsWith(KafkaBrokerProcess.READY)) {
                    return line.substring(KafkaBrokerProcess.READY.length()).strip();
                }
            }
            return null;
        } catch (IOException e) {
            return null;
        }
    }

    private static boolean hasJars(Path dir) {
        try (var files = Files.list(dir)) {
            return files.anyMatch(f -> f.toString().endsWith(".jar"));
        } catch (IOException e) {
            return false;
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join(" | ", lines.subList(Math.max(0, lines.size() - 5), lines.size())) + " (" + log + ")";
        } catch (IOException e) {
            return "see " + log;
        }
    }
}
