package dev.mcgate.lab;

import dev.mcgate.io.CaptureFilter;
import dev.mcgate.io.InterfacePort;
import dev.mcgate.io.NetInterface;
import dev.mcgate.io.linux.Netns;
import dev.mcgate.io.linux.SystemInterfaces;
import dev.mcgate.io.pcap.PcapPacketIo;
import dev.mcgate.net.Ip4;
import dev.mcgate.packet.DataFrameView;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.MembershipKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code mcgate lab demo}: builds the lab, runs mcgate in the router and shows, second by second, a stream reaching
 * exactly the receivers that join it and stopping when they leave; then removes everything.
 *
 * <p>The hosts are the kernels of the lab's namespaces: receivers join and leave with ordinary sockets (the kernel
 * sends the IGMP), the source sends ordinary UDP. mcgate is a separate process, as it would be on a real router; its
 * log lines about memberships are shown as they happen.
 */
public final class LabDemo {

    private static final int PORT = 5001;
    private static final int UDP = 17;
    private static final int RATE_PPS = 50;
    private static final int SECONDS = 14;

    private final LabTopology topology;
    private final PrintWriter out;

    public LabDemo(LabTopology topology, PrintWriter out) {
        this.topology = topology;
        this.out = out;
    }

    /** One receiver host: a joined socket and a reader counting what arrives. */
    private static final class Receiver implements AutoCloseable {
        final String name;
        final DatagramChannel channel;
        final AtomicLong received = new AtomicLong();
        /** Datagrams of the group on the receiver's wire, joined or not: what mcgate forwards to that LAN. */
        final AtomicLong onWire = new AtomicLong();

        InterfacePort wire;
        MembershipKey key;
        final Thread reader;

        Receiver(String name, DatagramChannel channel) {
            this.name = name;
            this.channel = channel;
            this.reader = new Thread(this::read, "demo-" + name);
            this.reader.setDaemon(true);
            this.reader.start();
        }

        private void read() {
            ByteBuffer buf = ByteBuffer.allocate(2048);
            try {
                while (true) {
                    buf.clear();
                    channel.receive(buf);
                    received.incrementAndGet();
                }
            } catch (IOException closed) {
                // the demo is over
            }
        }

        @Override
        public void close() throws IOException {
            channel.close();
            if (wire != null) {
                wire.close();
            }
        }
    }

    /**
     * Runs the whole demo; the lab must not exist yet and is removed at the end whatever happens.
     *
     * @param mcgateCommand the command line that starts mcgate (java and its class path), before "run -c FILE"
     */
    public int run(List<String> mcgateCommand) throws LabException, IOException, InterruptedException {
        Lab lab = new Lab(topology);
        if (lab.exists()) {
            lab.down();
        }
        lab.up(Map.of());
        Path log = Files.createTempFile("mcgate-demo", ".log");
        List<Receiver> receivers = new ArrayList<>();
        Process mcgate = null;
        try {
            out.printf(
                    "lab '%s' is up: source %s -> router (up0 | down1, down2) -> receivers rx1 %s, rx2 %s%n",
                    topology.prefix(),
                    LabTopology.SOURCE_LINK.hostAddress(),
                    LabTopology.RX1_LINK.hostAddress(),
                    LabTopology.RX2_LINK.hostAddress());
            List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", topology.router()));
            command.addAll(JvmFlags.withSmallFootprint(mcgateCommand));
            command.addAll(List.of("run", "-c", topology.routerConfigFile().toString()));
            mcgate = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            Optional<String> notReady =
                    new ControlSocketProbe(topology.routerControlSocket()).awaitReady(mcgate, 20_000);
            if (notReady.isPresent()) {
                out.println("mcgate did not start (" + notReady.get() + "); its log:\n" + Files.readString(log));
                return 1;
            }
            out.println("mcgate runs in " + topology.router() + " (log: " + log + ")");
            Ip4 group = LabTopology.GROUP;
            receivers.add(receiver(1));
            receivers.add(receiver(2));
            DatagramChannel source = sender();
            out.printf("the source streams %s:%d at %d datagrams/s, TTL 8%n%n", group, PORT, RATE_PPS);
            out.println("  datagrams per second: on each receiver's wire (what mcgate forwards) / taken by its socket");
            out.println("  time   rx1 wire/socket   rx2 wire/socket   what happens");
            int logLinesShown = 0;
            long[] lastCounts = new long[4];
            long start = System.nanoTime();
            long seq = 0;
            for (int second = 0; second < SECONDS; second++) {
                String event = switch (second) {
                    case 1 -> join(receivers.get(0), group);
                    case 4 -> join(receivers.get(1), group);
                    case 7 -> leave(receivers.get(0));
                    case 10 -> leave(receivers.get(1));
                    default -> "";
                };
                for (int i = 0; i < RATE_PPS; i++) {
                    long due = start + TimeUnit.SECONDS.toNanos(second) + i * (1_000_000_000L / RATE_PPS);
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        TimeUnit.NANOSECONDS.sleep(wait);
                    }
                    ByteBuffer payload = ByteBuffer.allocate(64).putLong(seq++).flip();
                    source.send(payload, new InetSocketAddress(InetAddress.getByAddress(group.toBytes()), PORT));
                }
                long[] now = {
                    receivers.get(0).onWire.get(),
                    receivers.get(0).received.get(),
                    receivers.get(1).onWire.get(),
                    receivers.get(1).received.get()
                };
                out.printf(
                        "  %3ds   %8d/%-6d   %8d/%-6d   %s%n",
                        second + 1,
                        now[0] - lastCounts[0],
                        now[1] - lastCounts[1],
                        now[2] - lastCounts[2],
                        now[3] - lastCounts[3],
                        event);
                System.arraycopy(now, 0, lastCounts, 0, now.length);
                logLinesShown = showMembershipLines(log, logLinesShown);
                out.flush();
            }
            source.close();
            out.printf("%nsent %d; rx1 got %d, rx2 got %d%n", seq, lastCounts[1], lastCounts[3]);
            mcgate.destroy();
            mcgate.waitFor(10, TimeUnit.SECONDS);
            showMembershipLines(log, logLinesShown);
            for (String line : Files.readAllLines(log)) {
                if (line.contains("closed;")) {
                    out.println("  mcgate: " + withoutLogPrefix(line));
                }
            }
            return 0;
        } finally {
            for (Receiver r : receivers) {
                r.close();
            }
            if (mcgate != null && mcgate.isAlive()) {
                mcgate.destroyForcibly();
            }
            lab.down();
            out.println("lab '" + topology.prefix() + "' removed");
            out.flush();
        }
    }

    private Receiver receiver(int n) throws IOException {
        String ns = topology.receiver(n);
        DatagramChannel ch = Netns.call(ns, () -> {
            DatagramChannel c = DatagramChannel.open(StandardProtocolFamily.INET);
            c.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            c.bind(new InetSocketAddress(PORT));
            return c;
        });
        Receiver r = new Receiver("rx" + n, ch);
        int group = LabTopology.GROUP.bits();
        r.wire = Netns.call(ns, () -> {
            NetInterface eth0 = new SystemInterfaces()
                    .find(LabTopology.HOST_IF)
                    .orElseThrow(() -> new IOException("no " + LabTopology.HOST_IF + " in " + ns));
            DataFrameView view = new DataFrameView();
            return new PcapPacketIo().open(eth0, CaptureFilter.IGMP_AND_MULTICAST, (port, frame, length) -> {
                DataFrameView v = view.wrap(frame, length, port.linkType());
                if (v.isValid() && v.protocol() == UDP && v.destinationBits() == group) {
                    r.onWire.incrementAndGet();
                }
            });
        });
        return r;
    }

    private DatagramChannel sender() throws IOException {
        return Netns.call(topology.source(), () -> {
            DatagramChannel c = DatagramChannel.open(StandardProtocolFamily.INET);
            c.setOption(StandardSocketOptions.IP_MULTICAST_IF, NetworkInterface.getByName(LabTopology.HOST_IF));
            c.setOption(StandardSocketOptions.IP_MULTICAST_TTL, 8);
            return c;
        });
    }

    private String join(Receiver r, Ip4 group) throws IOException {
        // The interface is looked up inside the receiver's namespace, where "eth0" is its own.
        r.key = Netns.call(
                topology.receiver(Integer.parseInt(r.name.substring(2))),
                () -> r.channel.join(
                        InetAddress.getByAddress(group.toBytes()), NetworkInterface.getByName(LabTopology.HOST_IF)));
        return r.name + " joins " + group;
    }

    private static String leave(Receiver r) {
        r.key.drop();
        return r.name + " leaves";
    }

    /** A log line without its time (or journal priority), level and logger: what the operator reads. */
    private static String withoutLogPrefix(String line) {
        return line.replaceFirst("^(<\\d>|\\S+ \\S+ )?\\[\\w+\\] \\w+ - ", "");
    }

    /** Prints mcgate's membership log lines that appeared since the last call; returns how many lines are shown. */
    private int showMembershipLines(Path log, int shown) throws IOException {
        List<String> lines = Files.readAllLines(log);
        for (int i = shown; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.contains(": group ")
                    || line.contains("upstream up0: joining")
                    || line.contains("upstream up0: " + "leaving")) {
                out.println("                          mcgate: " + withoutLogPrefix(line));
            }
        }
        return lines.size();
    }
}
