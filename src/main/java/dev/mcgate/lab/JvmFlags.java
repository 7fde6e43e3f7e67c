package dev.mcgate.lab;

import java.util.ArrayList;
import java.util.List;

/**
 * The JVM options mcgate is started with by the lab (demo and bench), the same as the systemd launcher's
 * ({@code systemd/mcgate}, {@code MCGATE_JAVA_OPTS}; a test holds them equal): a small footprint for a daemon whose
 * heap holds a few KB per group and whose data path allocates nothing per packet.
 *
 * <p>Measured in a namespace lab (idle, pcap engine, three interfaces): 146 MiB resident with the JVM's defaults
 * (G1, heap sized from the machine's memory), 130 MiB with the first set (serial GC, heap, stacks, metaspace, code
 * cache). With 10 000 groups held after the bench's forwarding and report phases ({@code MembershipMemory -Dbench}),
 * two more kinds of memory stayed resident that these flags give back: heap the serial collector had grown to 2-3
 * times what was live, and freed native memory (mostly the C2 compiler's arenas, peaking at ~30 MB) that glibc kept
 * in its per-thread arenas. {@code -XX:TieredStopAtLevel=1} would save 13 MiB more but compiles the forwarding path
 * with C1 only, so it is not used.
 */
public final class JvmFlags {

    /**
     * Serial GC (no GC threads, small remembered sets), a heap from 8 to 128 MB, smaller stacks and code cache; and,
     * as the systemd launcher always adds, exit on OutOfMemoryError rather than run on with threads that died of it.
     * The heap keeps 10-30 % free after a full collection instead of 40-70 %, and the young generation stays at 8 MB
     * at most (it grew with the old one, to ~20 MB): the live set is a few KB per group and the data path allocates
     * nothing, so the headroom only held garbage. The native heap is trimmed (malloc_trim) every 2 s, so what the JIT
     * compiler freed goes back to the kernel.
     */
    public static final List<String> SMALL_FOOTPRINT = List.of(
            "-XX:+ExitOnOutOfMemoryError",
            "-XX:+UseSerialGC",
            "-Xms8m",
            "-Xmx128m",
            "-Xss256k",
            "-XX:MaxMetaspaceSize=64m",
            "-XX:ReservedCodeCacheSize=32m",
            "-XX:MinHeapFreeRatio=10",
            "-XX:MaxHeapFreeRatio=30",
            "-XX:MaxNewSize=8m",
            // Experimental in the 17.0.9 backport, a product flag later: unlocking it works on both.
            "-XX:+UnlockExperimentalVMOptions",
            "-XX:TrimNativeHeapInterval=2000");

    private static final List<String> TRIM =
            List.of("-XX:+UnlockExperimentalVMOptions", "-XX:TrimNativeHeapInterval=2000");

    private JvmFlags() {}

    /**
     * {@code javaCommand} (java, then its arguments) with the flags right after the java executable; without the native
     * heap trim on a JVM that does not have it (it would refuse to start), which the lab's java is.
     */
    public static List<String> withSmallFootprint(List<String> javaCommand) {
        List<String> out = new ArrayList<>(javaCommand.size() + SMALL_FOOTPRINT.size());
        out.add(javaCommand.get(0));
        for (String flag : SMALL_FOOTPRINT) {
            if (trimSupported(Runtime.version()) || !TRIM.contains(flag)) {
                out.add(flag);
            }
        }
        out.addAll(javaCommand.subList(1, javaCommand.size()));
        return out;
    }

    /** Whether {@code -XX:TrimNativeHeapInterval} exists: Java 17.0.9 and later 17s, 21.0.1 and later, 22 on. */
    static boolean trimSupported(Runtime.Version version) {
        return switch (version.feature()) {
            case 17 -> version.update() >= 9;
            case 21 -> version.update() >= 1;
            default -> version.feature() >= 22;
        };
    }
}
