package dev.mcgate.lab;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Reads the CPU and memory figures the benchmark needs from /proc, and stops the processes it started.
 */
final class BenchProcesses {

    /** USER_HZ: /proc reports CPU time in these ticks; it is 100 on every Linux architecture mcgate runs on. */
    static final long NANOS_PER_TICK = 10_000_000L;
    /** The CPU the router's work is steered to (RPS) and mcgate is pinned to. */
    static final int ROUTER_CPU = 1;

    private BenchProcesses() {}

    /**
     * The command prefix that runs a process on one CPU, at the default priority. Not at nice -10, as earlier runs did:
     * when the router CPU is saturated its receive softirq moves to ksoftirqd (nice 0), and a user-space router above
     * it starves the very thread that delivers its own input (seen here).
     */
    static List<String> pinned(int cpu) {
        return List.of("taskset", "-c", Integer.toString(cpu));
    }

    static long routerCpuBusyNanos() throws LabException {
        return ProcFiles.cpuBusyTicks(read(Path.of("/proc/stat")), ROUTER_CPU) * NANOS_PER_TICK;
    }

    static long routerCpuInterruptNanos() throws LabException {
        return ProcFiles.cpuInterruptTicks(read(Path.of("/proc/stat")), ROUTER_CPU) * NANOS_PER_TICK;
    }

    static long residentKib(long pid) throws LabException {
        return ProcFiles.residentKib(read(Path.of("/proc", Long.toString(pid), "status")));
    }

    /** SIGTERM, then SIGKILL after {@code graceMillis}; returns when the process is gone. */
    static void stop(Process p, long graceMillis) {
        if (p == null || !p.isAlive()) {
            return;
        }
        p.destroy();
        try {
            if (!p.waitFor(graceMillis, TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
        }
    }

    private static String read(Path file) throws LabException {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new LabException("cannot read " + file + ": " + e.getMessage());
        }
    }
}
