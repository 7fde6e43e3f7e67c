package dev.mcgate.lab;

import dev.mcgate.io.CaptureFilter;
import dev.mcgate.io.InterfacePort;
import dev.mcgate.io.NetInterface;
import dev.mcgate.io.linux.Netns;
import dev.mcgate.io.linux.SystemInterfaces;
import dev.mcgate.io.pcap.PcapPacketIo;
import dev.mcgate.net.Ip4;
import dev.mcgate.net.MacAddress;
import dev.mcgate.packet.GroupRecord;
import dev.mcgate.packet.IgmpEncoder;
import dev.mcgate.packet.RecordType;
import dev.mcgate.packet.V3MembershipReport;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;

/**
 * Simulated hosts on receiver 1's LAN: IGMPv3 reports (CHANGE_TO_EXCLUDE_MODE, no sources: joins) injected on its
 * eth0 through a packet socket, from many MAC and IP addresses of the downstream subnet, at a paced rate.
 */
final class ReportLoad implements AutoCloseable {

    /** Host addresses .11 to .250 of the downstream /24: not the router's (.1), not receiver 1's own (.10). */
    private static final int FIRST_HOST = 11;

    private static final int HOST_ADDRESSES = 240;

    private final InterfacePort port;

    private ReportLoad(InterfacePort port) {
        this.port = port;
    }

    static ReportLoad open(LabTopology topology) throws LabException {
        String ns = topology.receiver(1);
        try {
            return new ReportLoad(Netns.call(ns, () -> {
                NetInterface eth0 = new SystemInterfaces()
                        .find(LabTopology.HOST_IF)
                        .orElseThrow(() -> new IOException("no " + LabTopology.HOST_IF + " in " + ns));
                return new PcapPacketIo().open(eth0, CaptureFilter.NOTHING, (p, f, l) -> {});
            }));
        } catch (IOException e) {
            throw new LabException("cannot open a packet socket in " + ns + ": " + e.getMessage());
        }
    }

    /** The {@code i}-th group of a block of groups starting at {@code base}. */
    static Ip4 group(Ip4 base, int i) {
        return new Ip4(base.bits() + i);
    }

    /**
     * The report frames of {@code hosts} hosts, host h joining groups base + h * perHost ... + perHost - 1.
     */
    static List<byte[]> frames(Ip4 base, int hosts, int perHost) {
        List<byte[]> frames = new ArrayList<>(hosts);
        Ip4 subnet = LabTopology.RX1_LINK.subnet().address();
        for (int h = 0; h < hosts; h++) {
            List<GroupRecord> records = new ArrayList<>(perHost);
            for (int g = 0; g < perHost; g++) {
                records.add(
                        new GroupRecord(RecordType.CHANGE_TO_EXCLUDE_MODE, group(base, h * perHost + g), List.of()));
            }
            Ip4 source = new Ip4(subnet.bits() + FIRST_HOST + h % HOST_ADDRESSES);
            // Locally administered unicast MACs, one per simulated host.
            MacAddress mac = new MacAddress(0x0200_0000_0000L | h);
            frames.add(IgmpEncoder.ethernetFrame(mac, source, new V3MembershipReport(records)));
        }
        return frames;
    }

    /** The groups {@link #frames} joins. */
    static Set<Ip4> groups(Ip4 base, int count) {
        Set<Ip4> groups = new HashSet<>();
        for (int i = 0; i < count; i++) {
            groups.add(group(base, i));
        }
        return groups;
    }

    /**
     * Injects the frames at {@code perSecond} frames per second.
     *
     * @return the rate reached, frames per second
     */
    double inject(List<byte[]> frames, double perSecond) throws LabException {
        long interval = (long) (1e9 / perSecond);
        long start = System.nanoTime();
        int failed = 0;
        for (int i = 0; i < frames.size(); i++) {
            long wait = start + i * interval - System.nanoTime();
            if (wait > 20_000) {
                LockSupport.parkNanos(wait);
            }
            byte[] f = frames.get(i);
            if (!port.send(f, f.length)) {
                failed++;
            }
        }
        long took = System.nanoTime() - start;
        if (failed > 0) {
            throw new LabException(failed + " of " + frames.size() + " report frames could not be sent");
        }
        return frames.size() / Math.max(took / 1e9, frames.size() / perSecond);
    }

    @Override
    public void close() {
        port.close();
    }
}
