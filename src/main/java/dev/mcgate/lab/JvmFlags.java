package dev.mcgate.lab;

import java.util.ArrayList;
import java.util.List;

/**
 * The JVM options mcgate is started with by the lab (demo and bench): a small footprint for a daemon whose heap holds
 * a few KB per group and whose data path allocates nothing per packet.
 *
 * <p>Measured in a namespace lab (idle, pcap engine, three interfaces): 146 MiB resident with the JVM's defaults
 * (G1, heap sized from the machine's memory), 130 MiB with these. Most of the rest is not the JVM's: each pcap
 * capture ring (32 MB buffer) holds about 20 MiB resident. {@code -XX:TieredStopAtLevel=1} would save 13 MiB more
 * but compiles the forwarding path with C1 only, so it is not used.
 */
public final class JvmFlags {

    /**
     * Serial GC (no GC threads, small remembered sets), a heap from 8 to 128 MB, smaller stacks and code cache; and,
     * as the systemd launcher always adds, exit on OutOfMemoryError rather than run on with threads that died of it.
     */
    public static final List<String> SMALL_FOOTPRINT = List.of(
            "-XX:+ExitOnOutOfMemoryError",
            "-XX:+UseSerialGC",
            "-Xms8m",
            "-Xmx128m",
            "-Xss256k",
            "-XX:MaxMetaspaceSize=64m",
            "-XX:ReservedCodeCacheSize=32m");

    private JvmFlags() {}

    /** {@code javaCommand} (java, then its arguments) with the flags right after the java executable. */
    public static List<String> withSmallFootprint(List<String> javaCommand) {
        List<String> out = new ArrayList<>(javaCommand.size() + SMALL_FOOTPRINT.size());
        out.add(javaCommand.get(0));
        out.addAll(SMALL_FOOTPRINT);
        out.addAll(javaCommand.subList(1, javaCommand.size()));
        return out;
    }
}
