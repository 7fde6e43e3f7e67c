package dev.mcgate.e2e;

import dev.mcgate.packet.EthernetHeader;
import dev.mcgate.packet.Ipv6Header;
import dev.mcgate.packet.LinkType;
import dev.mcgate.packet.MalformedMldException;
import dev.mcgate.packet.MldFrame;
import dev.mcgate.packet.MldPacket;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The IPv6 frames on one lab link, captured by tcpdump into a pcap file and read back while it runs: the MLD packets
 * (decoded, checksums checked, by the project's own codec) and the headers of the UDP datagrams.
 */
final class Ipv6Capture {

    /** A UDP datagram seen on the wire: its IPv6 header (source, group, hop limit). */
    /**
     * One captured IPv6 UDP datagram.
     *
     * @param epochMicros when tcpdump saw it (wall clock, microseconds since the epoch)
     */
    record Datagram(Ipv6Header header, long epochMicros) {}

    private static final int PCAP_HEADER = 24;
    private static final int RECORD_HEADER = 16;
    private static final int UDP = 17;

    private final Path file;
    private final Process tcpdump;

    private Ipv6Capture(Path file, Process tcpdump) {
        this.file = file;
        this.tcpdump = tcpdump;
    }

    /**
     * Starts tcpdump on {@code ifName} in {@code ns} for every IPv6 frame ({@code icmp6} would miss MLD: libpcap does
     * not follow the Hop-by-Hop header MLD messages carry), packet-buffered, and returns once it listens.
     */
    static Ipv6Capture start(TestLab lab, String ns, String ifName, Path dir, String name)
            throws IOException, InterruptedException {
        Path pcap = dir.resolve(name + ".pcap");
        Path log = dir.resolve(name + ".tcpdump.log");
        Process tcpdump =
                lab.startIn(ns, log, "tcpdump", "-i", ifName, "-n", "-U", "-s", "2048", "-w", pcap.toString(), "ip6");
        TestLab.awaitText(log, "listening on", 10_000);
        return new Ipv6Capture(pcap, tcpdump);
    }

    /**
     * Stops tcpdump (SIGTERM: it writes out what it holds) and returns the complete pcap file, for tools that read it
     * whole (tshark); the frames read so far stay readable.
     */
    Path stop() throws InterruptedException {
        tcpdump.destroy();
        if (!tcpdump.waitFor(5, TimeUnit.SECONDS)) {
            throw new AssertionError("tcpdump did not stop on SIGTERM");
        }
        return file;
    }

    /** The MLD packets captured so far, in order. */
    List<MldPacket> mld() throws IOException {
        return mld(Long.MIN_VALUE);
    }

    /**
     * The MLD packets captured at or after {@code fromEpochMicros} (the capture's own timestamps), in order: what was on
     * the wire since a moment, however late tcpdump writes it out.
     */
    List<MldPacket> mld(long fromEpochMicros) throws IOException {
        List<MldPacket> packets = new ArrayList<>();
        for (Frame f : frames()) {
            if (f.epochMicros() < fromEpochMicros) {
                continue;
            }
            byte[] frame = f.bytes();
            try {
                packets.add(
                        MldFrame.decode(frame, frame.length, LinkType.ETHERNET).packet());
            } catch (MalformedMldException | IllegalArgumentException e) {
                // Another ICMPv6 message (neighbour discovery) or a datagram: not MLD.
            }
        }
        return packets;
    }

    /** The UDP datagrams captured so far, in order. */
    List<Datagram> udp() throws IOException {
        List<Datagram> datagrams = new ArrayList<>();
        for (Frame f : frames()) {
            byte[] frame = f.bytes();
            try {
                Ipv6Header header =
                        Ipv6Header.decode(frame, EthernetHeader.LENGTH, frame.length - EthernetHeader.LENGTH);
                if (header.nextHeader() == UDP) {
                    datagrams.add(new Datagram(header, f.epochMicros()));
                }
            } catch (MalformedMldException | IllegalArgumentException e) {
                // not an IPv6 packet we can read
            }
        }
        return datagrams;
    }

    /** Waits until the MLD packets captured so far satisfy {@code wanted}; fails with what was captured. */
    List<MldPacket> awaitMld(String what, long timeoutMs, Predicate<List<MldPacket>> wanted)
            throws IOException, InterruptedException {
        return await(this::mld, "MLD", what, timeoutMs, wanted);
    }

    /**
     * Waits until the datagrams captured so far satisfy {@code wanted}: tcpdump writes a moment after the frames
     * crossed the link, so a receiver may have counted datagrams the file does not hold yet.
     */
    List<Datagram> awaitUdp(String what, long timeoutMs, Predicate<List<Datagram>> wanted)
            throws IOException, InterruptedException {
        return await(this::udp, "UDP", what, timeoutMs, wanted);
    }

    private interface Reader<T> {
        List<T> read() throws IOException;
    }

    private static <T> List<T> await(
            Reader<T> reader, String kind, String what, long timeoutMs, Predicate<List<T>> wanted)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        List<T> seen;
        do {
            seen = reader.read();
            if (wanted.test(seen)) {
                return seen;
            }
            Thread.sleep(20);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("no " + what + " captured within " + timeoutMs + " ms; " + kind + " captured ("
                + seen.size() + "): " + (seen.size() > 10 ? seen.subList(0, 10) + " ..." : seen));
    }

    /**
     * The complete Ethernet frames of the pcap file so far (tcpdump may be half-way through writing the last one).
     */
    private record Frame(byte[] bytes, long epochMicros) {}

    private List<Frame> frames() throws IOException {
        List<Frame> frames = new ArrayList<>();
        if (!Files.exists(file)) {
            return frames;
        }
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        if (b.limit() < PCAP_HEADER) {
            return frames;
        }
        if (b.getInt(0) != 0xa1b2c3d4) {
            b.order(ByteOrder.BIG_ENDIAN); // written on a big-endian machine
        }
        int at = PCAP_HEADER;
        while (b.limit() - at >= RECORD_HEADER) {
            int included = b.getInt(at + 8);
            if (included < 0 || b.limit() - at - RECORD_HEADER < included) {
                break;
            }
            byte[] frame = new byte[included];
            b.get(at + RECORD_HEADER, frame);
            frames.add(new Frame(frame, b.getInt(at) * 1_000_000L + b.getInt(at + 4)));
            at += RECORD_HEADER + included;
        }
        return frames;
    }
}
