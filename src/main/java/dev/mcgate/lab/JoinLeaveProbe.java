package dev.mcgate.lab;

import dev.mcgate.io.CaptureFilter;
import dev.mcgate.io.InterfacePort;
import dev.mcgate.io.NetInterface;
import dev.mcgate.io.linux.Netns;
import dev.mcgate.io.linux.SystemInterfaces;
import dev.mcgate.io.pcap.PcapPacketIo;
import dev.mcgate.net.Ip4;
import dev.mcgate.net.Ip6;
import dev.mcgate.net.IpAddress;
import dev.mcgate.packet.DataFrameView;
import dev.mcgate.packet.Ipv6DataFrameView;
import dev.mcgate.packet.LinkType;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Join → first datagram and leave → last datagram, seen on the receivers' wires: a stream runs on every group while
 * receivers 1 and 2 join each group through their kernels and leave it again, one group every 50 ms. Receiver 1's
 * LAN leaves normally (last-member queries), receiver 2's with fast leave. The groups are IPv4 (the kernels speak
 * IGMPv3) or IPv6 (MLDv2).
 */
final class JoinLeaveProbe {

    static final int PORT = 5003;
    private static final int UDP = 17;
    private static final int PER_GROUP_PPS = 500;
    private static final long STAGGER_MILLIS = 50;
    private static final long HOLD_MILLIS = 1000;
    /** Longer than a normal leave takes with the RFC defaults (2 last-member queries 1 s apart). */
    private static final long AFTER_LEAVE_MILLIS = 3500;

    /** Milliseconds per membership; receiver 1's leaves are normal, receiver 2's fast. */
    record Result(List<Double> joins, List<Double> normalLeaves, List<Double> fastLeaves, int missing) {}

    private final LabTopology topology;

    JoinLeaveProbe(LabTopology topology) {
        this.topology = topology;
    }

    static List<IpAddress> groups(int count) {
        List<IpAddress> groups = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            groups.add(Ip4.of(239, 7, 2, i));
        }
        return groups;
    }

    /** ff1e::7:2:0 and up: any-source groups of global scope (transient, RFC 4291 §2.7), which mcgate forwards. */
    static List<IpAddress> groups6(int count) {
        Ip6 base = Ip6.parse("ff1e::7:2:0");
        List<IpAddress> groups = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            groups.add(new Ip6(base.high(), base.low() + i));
        }
        return groups;
    }

    /** Runs the probe over {@link #groups} or {@link #groups6}: consecutive addresses of one family. */
    Result run(List<IpAddress> groups) throws LabException {
        int count = groups.size();
        long streamMillis = 300 + 2 * count * STAGGER_MILLIS + HOLD_MILLIS + AFTER_LEAVE_MILLIS;
        Wire[] wires = new Wire[2];
        long[][] joinedAt = new long[2][count];
        long[][] leftAt = new long[2][count];
        Process stream = null;
        try (BenchMembers members = new BenchMembers()) {
            for (int rx = 0; rx < 2; rx++) {
                wires[rx] = Wire.open(topology.receiver(rx + 1), groups);
            }
            stream = new IperfSender(topology.source())
                    .start(groups, (double) PER_GROUP_PPS * count, 64, streamMillis / 1000.0);
            CapacityProbe.sleep(300);
            for (int i = 0; i < count; i++) {
                for (int rx = 0; rx < 2; rx++) {
                    joinedAt[rx][i] = System.nanoTime();
                    members.join(topology.receiver(rx + 1), groups.get(i), PORT);
                }
                CapacityProbe.sleep(STAGGER_MILLIS);
            }
            CapacityProbe.sleep(HOLD_MILLIS);
            for (int i = 0; i < count; i++) {
                for (int rx = 0; rx < 2; rx++) {
                    leftAt[rx][i] = System.nanoTime();
                    members.leave(2 * i + rx);
                }
                CapacityProbe.sleep(STAGGER_MILLIS);
            }
            CapacityProbe.sleep(AFTER_LEAVE_MILLIS);
        } catch (IOException e) {
            throw new LabException("join/leave: " + e.getMessage());
        } finally {
            BenchProcesses.stop(stream, 1000);
            for (Wire w : wires) {
                if (w != null) {
                    w.close();
                }
            }
        }
        List<Double> joins = new ArrayList<>();
        List<Double> normal = new ArrayList<>();
        List<Double> fast = new ArrayList<>();
        int missing = 0;
        for (int i = 0; i < count; i++) {
            for (int rx = 0; rx < 2; rx++) {
                long first = wires[rx].first.get(i);
                long last = wires[rx].last.get(i);
                if (first == 0 || first - joinedAt[rx][i] < 0) {
                    missing++;
                    continue;
                }
                joins.add((first - joinedAt[rx][i]) / 1e6);
                // Before the leave was sent nothing counts: the stream stopped at once, or never lasted that long.
                (rx == 0 ? normal : fast).add(Math.max(0, last - leftAt[rx][i]) / 1e6);
            }
        }
        return new Result(joins, normal, fast, missing);
    }

    /** A capture on a receiver's eth0 noting, per group, when its first and last datagram arrived (System.nanoTime). */
    private static final class Wire {
        final AtomicLongArray first;
        final AtomicLongArray last;
        private InterfacePort port;

        private Wire(int count) {
            first = new AtomicLongArray(count);
            last = new AtomicLongArray(count);
        }

        static Wire open(String ns, List<IpAddress> groups) throws IOException {
            Wire w = new Wire(groups.size());
            GroupIndex index = new GroupIndex(groups.get(0));
            w.port = Netns.call(ns, () -> {
                NetInterface eth0 = new SystemInterfaces()
                        .find(LabTopology.HOST_IF)
                        .orElseThrow(() -> new IOException("no " + LabTopology.HOST_IF + " in " + ns));
                return new PcapPacketIo().open(eth0, CaptureFilter.BOTH_FAMILIES, (port, frame, length) -> {
                    long i = index.of(frame, length, port.linkType());
                    if (i >= 0 && i < groups.size()) {
                        long now = System.nanoTime();
                        w.first.compareAndSet((int) i, 0, now);
                        w.last.set((int) i, now);
                    }
                });
            });
            return w;
        }

        void close() {
            if (port != null) {
                port.close();
            }
        }
    }

    /**
     * Which of the probe's groups a captured UDP datagram is for: its destination's distance from the first group, in
     * the first group's family; -1 for anything else (membership reports, the other family, not UDP).
     */
    static final class GroupIndex {
        private final IpAddress base;
        private final DataFrameView ipv4 = new DataFrameView();
        private final Ipv6DataFrameView ipv6 = new Ipv6DataFrameView();

        GroupIndex(IpAddress base) {
            this.base = base;
        }

        long of(byte[] frame, int length, LinkType linkType) {
            if (base instanceof Ip4 b4) {
                DataFrameView v = ipv4.wrap(frame, length, linkType);
                return v.isValid() && v.protocol() == UDP ? v.destinationBits() - (long) b4.bits() : -1;
            }
            Ip6 b6 = (Ip6) base;
            Ipv6DataFrameView v = ipv6.wrap(frame, length, linkType);
            if (!v.isValid() || v.upperLayerProtocol() != UDP || v.destinationHigh() != b6.high()) {
                return -1;
            }
            long distance = v.destinationLow() - b6.low();
            return distance >= 0 ? distance : -1;
        }
    }
}
