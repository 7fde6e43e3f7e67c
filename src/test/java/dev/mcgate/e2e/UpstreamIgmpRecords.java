package dev.mcgate.e2e;

import dev.mcgate.io.CaptureFilter;
import dev.mcgate.lab.LabTopology;
import dev.mcgate.net.Ip4;
import dev.mcgate.packet.GroupRecord;
import dev.mcgate.packet.IgmpFrame;
import dev.mcgate.packet.LinkType;
import dev.mcgate.packet.MalformedPacketException;
import dev.mcgate.packet.RecordType;
import dev.mcgate.packet.V3MembershipReport;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * The IGMPv3 group records mcgate sends as the host on a lab's upstream wire (captured on the source's side), each
 * with when it was seen: what the upstream router hears of the joins and leaves.
 */
public final class UpstreamIgmpRecords {

    /** One group record, seen at {@code nanos} (System.nanoTime). */
    public record Seen(long nanos, RecordType type, Ip4 group) {}

    private final List<Seen> seen = new CopyOnWriteArrayList<>();

    private UpstreamIgmpRecords() {}

    /** Starts capturing on the lab's source host interface; the capture ends with the lab. */
    public static UpstreamIgmpRecords capture(TestLab lab, String sourceNamespace) throws IOException {
        UpstreamIgmpRecords records = new UpstreamIgmpRecords();
        lab.openPcap(sourceNamespace, LabTopology.HOST_IF, CaptureFilter.IGMP, (port, frame, length) -> {
            long now = System.nanoTime();
            try {
                if (IgmpFrame.decode(frame, length, LinkType.ETHERNET).packet().message()
                        instanceof V3MembershipReport r) {
                    for (GroupRecord g : r.records()) {
                        records.seen.add(new Seen(now, g.type(), g.group()));
                    }
                }
            } catch (MalformedPacketException e) {
                // not ours to judge here
            }
        });
        return records;
    }

    /** The records of {@code type} for {@code group} seen since {@code after}, in order. */
    public List<Seen> of(Ip4 group, RecordType type, long after) {
        return seen.stream()
                .filter(s -> s.group().equals(group) && s.type() == type && s.nanos() >= after)
                .toList();
    }

    /** Whether any record for {@code group} was seen. */
    public boolean any(Ip4 group) {
        return seen.stream().anyMatch(s -> s.group().equals(group));
    }

    /** The first record of {@code type} for {@code group} since {@code after}; fails after {@code timeoutMs}. */
    public Seen await(Ip4 group, RecordType type, long after, long timeoutMs) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (System.nanoTime() < deadline) {
            List<Seen> found = of(group, type, after);
            if (!found.isEmpty()) {
                return found.get(0);
            }
            Thread.sleep(5);
        }
        throw new AssertionError("no " + type + " for " + group + " upstream within " + timeoutMs + " ms: " + seen);
    }

    @Override
    public String toString() {
        return seen.toString();
    }
}
