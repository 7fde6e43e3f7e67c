package dev.mcgate.lab;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;

/**
 * The in-JVM broker as a process of its own, which {@code lab bench} starts in the router's namespace for its Kafka
 * rows: its class path is mcgate's plus {@code bench-lib/} (the broker's jars, never on the daemon's). It prints
 * {@code bootstrap HOST:PORT} once the node is up and stops when its standard input closes, so that it cannot outlive
 * the bench that started it.
 *
 * <p>Arguments: {@code LOG_DIR HOST} (an empty directory, an address of the namespace).
 */
public final class KafkaBrokerProcess {

    /** The line's prefix the bench waits for. */
    static final String READY = "bootstrap ";

    private KafkaBrokerProcess() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: KafkaBrokerProcess LOG_DIR HOST");
            System.exit(64);
        }
        try (InJvmKafkaBroker broker = InJvmKafkaBroker.start(Path.of(args[0]), args[1])) {
            System.out.println(READY + broker.bootstrapServers());
            System.out.flush();
            drain(System.in);
        } catch (Throwable e) {
            // A node that failed half-way leaves non-daemon threads: without the exit, the bench would wait for a
            // ready line that never comes.
            e.printStackTrace();
            System.exit(1);
        }
        System.exit(0); // the node's leftover non-daemon threads
    }

    private static void drain(InputStream in) throws IOException {
        byte[] b = new byte[256];
        while (in.read(b) >= 0) {
            // nothing is said on stdin; its end is the signal
        }
    }
}
