package dev.mcgate.lab;

/**
 * Parses the few /proc texts the benchmark reads: a process's CPU time, a CPU's busy time, a process's resident
 * memory and an interface's packet counters. Pure: the text comes in, numbers go out.
 */
public final class ProcFiles {

    private ProcFiles() {}

    /**
     * Busy clock ticks of one CPU from the text of /proc/stat: user + nice + system + irq + softirq + steal, that is
     * everything but idle and iowait (softirq is where the kernel forwards packets).
     */
    public static long cpuBusyTicks(String procStat, int cpu) {
        long[] f = cpuFields(procStat, cpu);
        return f[1] + f[2] + f[3] + f[6] + f[7] + f[8];
    }

    // The numbers of a "cpuN" line, index 1 = user ... 8 = steal.
    private static long[] cpuFields(String procStat, int cpu) {
        String label = "cpu" + cpu;
        for (String line : procStat.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 9 && f[0].equals(label)) {
                long[] values = new long[9];
                for (int i = 1; i < 9; i++) {
                    values[i] = Long.parseLong(f[i]);
                }
                return values;
            }
        }
        throw new IllegalArgumentException("no line for " + label + " in /proc/stat");
    }

    /**
     * Clock ticks one CPU spent in hard and soft interrupts, from the text of /proc/stat: where the kernel receives,
     * forwards and steers packets, and little else a busy machine's other users run.
     */
    public static long cpuInterruptTicks(String procStat, int cpu) {
        long[] f = cpuFields(procStat, cpu);
        return f[6] + f[7];
    }

    /** VmRSS in KiB from the text of /proc/PID/status. */
    public static long residentKib(String status) {
        for (String line : status.split("\n")) {
            if (line.startsWith("VmRSS:")) {
                String[] f = line.substring(6).trim().split("\\s+");
                return Long.parseLong(f[0]);
            }
        }
        throw new IllegalArgumentException("no VmRSS in /proc/PID/status (a kernel thread, or the process is gone)");
    }

    /** Packets received by an interface, from the text of /proc/net/dev. */
    public static long receivedPackets(String netDev, String ifName) {
        return netDevField(netDev, ifName, 1);
    }

    /** Packets sent by an interface, from the text of /proc/net/dev. */
    public static long sentPackets(String netDev, String ifName) {
        return netDevField(netDev, ifName, 9);
    }

    /** Packets an interface dropped on sending (veth: the peer's backlog was full), from /proc/net/dev. */
    public static long sendDrops(String netDev, String ifName) {
        return netDevField(netDev, ifName, 11);
    }

    // /proc/net/dev: "  eth0: rxbytes rxpackets errs drop fifo frame compressed multicast txbytes txpackets ..."
    private static long netDevField(String netDev, String ifName, int field) {
        for (String line : netDev.split("\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equals(ifName)) {
                String[] f = line.substring(colon + 1).trim().split("\\s+");
                return Long.parseLong(f[field]);
            }
        }
        throw new IllegalArgumentException("no interface " + ifName + " in /proc/net/dev");
    }
}
