package dev.mcgate.e2e;

import dev.mcgate.io.CaptureFilter;
import dev.mcgate.net.Ip4;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * What arrives on a host's interface, as seen by a pcap capture there (direction in: only what others put on the
 * wire, never the host's own frames): the UDP datagrams to multicast groups, each with the time it was seen.
 */
final class Wire {

    /** One captured UDP datagram: when (System.nanoTime), IP source and destination, TTL, source MAC. */
    record Datagram(long nanos, Ip4 source, Ip4 group, int ttl, long sourceMac) {}

    private final List<Datagram> seen = new CopyOnWriteArrayList<>();

    private Wire() {}

    /** Starts capturing on {@code ifName} in {@code ns}; the capture is closed with the lab. */
    static Wire capture(TestLab lab, String ns, String ifName) throws IOException {
        Wire wire = new Wire();
        lab.openPcap(ns, ifName, CaptureFilter.IGMP_AND_MULTICAST, (port, frame, length) -> {
            long now = System.nanoTime();
            if (length >= 14 + 20 && (frame[12] & 0xff) == 0x08 && frame[13] == 0 && (frame[14 + 9] & 0xff) == 17) {
                long mac = 0;
                for (int i = 6; i < 12; i++) {
                    mac = (mac << 8) | (frame[i] & 0xff);
                }
                wire.seen.add(new Datagram(
                        now, Ip4.fromBytes(frame, 14 + 12), Ip4.fromBytes(frame, 14 + 16), frame[14 + 8] & 0xff, mac));
            }
        });
        return wire;
    }

    List<Datagram> to(Ip4 group) {
        return matching(d -> d.group().equals(group));
    }

    List<Datagram> matching(Predicate<Datagram> p) {
        return seen.stream().filter(p).toList();
    }

    long count(Ip4 group) {
        return to(group).size();
    }

    /** The first datagram to the group seen at or after {@code sinceNanos}, waiting up to the timeout; null if none. */
    Datagram firstAfter(Ip4 group, long sinceNanos, long timeoutMs) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
        while (true) {
            for (Datagram d : seen) {
                if (d.group().equals(group) && d.nanos() >= sinceNanos) {
                    return d;
                }
            }
            if (System.nanoTime() > deadline) {
                return null;
            }
            Thread.sleep(2);
        }
    }

    /** The last datagram to the group seen so far, or null. */
    Datagram last(Ip4 group) {
        List<Datagram> to = to(group);
        return to.isEmpty() ? null : to.get(to.size() - 1);
    }

    void clear() {
        seen.clear();
    }
}
