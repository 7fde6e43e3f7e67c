package dev.mcgate.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ProcFilesTest {

    // A real /proc/PID/stat of a java process, with a command name holding a space and a parenthesis.
    private static final String PROC_STAT = """
            cpu  4705 356 584 3699 23 23 0 0 0 0
            cpu0 2000 100 300 1800 10 10 0 0 0 0
            cpu1 2705 256 284 1899 13 13 7 3 0 0
            intr 114930548 113199788 3 0 5 263 0 4 [... lots more numbers ...]
            ctxt 1990473
            """;

    private static final String STATUS = """
            Name:\tjava
            VmPeak:\t 4012345 kB
            VmRSS:\t  145824 kB
            RssAnon:\t  120000 kB
            """;

    private static final String NET_DEV = """
            Inter-|   Receive                                                |  Transmit
             face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed
                lo:       0       0    0    0    0     0          0         0        0       0    0    0    0     0       0          0
              eth0: 98765432  123456    0    7    0     0          0    120000 55555555  654321    0   42    0     0       0          0
               up0:  1000      10    0    0    0     0          0         0     2000      20    0    0    0     0       0          0
            """;

    @Test
    void cpuBusyIsEverythingButIdleAndIowait() {
        // user 2705 + nice 256 + system 284 + irq 13 + softirq 7 + steal 3
        assertEquals(2705 + 256 + 284 + 13 + 7 + 3, ProcFiles.cpuBusyTicks(PROC_STAT, 1));
        assertEquals(2000 + 100 + 300 + 10 + 0 + 0, ProcFiles.cpuBusyTicks(PROC_STAT, 0));
        assertThrows(IllegalArgumentException.class, () -> ProcFiles.cpuBusyTicks(PROC_STAT, 2));
    }

    @Test
    void interruptTimeIsIrqPlusSoftirq() {
        assertEquals(13 + 7, ProcFiles.cpuInterruptTicks(PROC_STAT, 1));
        assertThrows(IllegalArgumentException.class, () -> ProcFiles.cpuInterruptTicks(PROC_STAT, 7));
    }

    @Test
    void residentMemoryIsVmRss() {
        assertEquals(145824, ProcFiles.residentKib(STATUS));
        assertThrows(IllegalArgumentException.class, () -> ProcFiles.residentKib("Name:\tkthreadd\n"));
    }

    @Test
    void interfaceCountersByName() {
        assertEquals(123456, ProcFiles.receivedPackets(NET_DEV, "eth0"));
        assertEquals(654321, ProcFiles.sentPackets(NET_DEV, "eth0"));
        assertEquals(42, ProcFiles.sendDrops(NET_DEV, "eth0"));
        assertEquals(10, ProcFiles.receivedPackets(NET_DEV, "up0"));
        assertThrows(IllegalArgumentException.class, () -> ProcFiles.receivedPackets(NET_DEV, "eth1"));
    }
}
