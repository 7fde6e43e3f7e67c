package dev.mcgate.lab;

import dev.mcgate.io.CaptureFilter;
import dev.mcgate.io.InterfacePort;
import dev.mcgate.io.NetInterface;
import dev.mcgate.io.linux.Netns;
import dev.mcgate.io.linux.SystemInterfaces;
import dev.mcgate.io.pcap.PcapPacketIo;
import dev.mcgate.net.IpFamily;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code mcgate lab demo}: builds the lab, runs mcgate in the router and shows, second by second, a stream reaching
 * exactly the receivers that join it and stopping when they leave; then removes everything.
 *
 * <p>The hosts are the kernels of the lab's namespaces: receivers join and leave with ordinary sockets (the kernel
 * sends the IGMP or MLD), the source sends ordinary UDP. mcgate is a separate process, as it would be on a real router;
 * its log lines about memberships are shown as they happen, and its {@code status} and {@code groups} while both
 * receivers are joined. The stream is IPv4 or, with {@code --ipv6}, IPv6 ({@link DemoStream}).
 */
public final class LabDemo {

    private static final int PORT = 5001;
    private static final int RATE_PPS = 50;
    private static final int SECONDS = 14;
    /** What the source sends with; each receiver should see one less, mcgate's one hop. */
    private static final int HOPS = 8;
    /** After which second mcgate's status is asked for: both receivers joined (rx2 in the 5th) and rx1 not yet left (8th). */
    private static final int STATUS_SECOND = 5;

    private static final int RECEIVE_TIMEOUT_MILLIS = 200;

    private final LabTopology topology;
    private final DemoStream stream;
    private final PrintWriter out;

    public LabDemo(LabTopology topology, PrintWriter out) {
        this(topology, DemoStream.ipv4(), out);
    }

    public LabDemo(LabTopology topology, DemoStream stream, PrintWriter out) {
        this.topology = topology;
        this.stream = stream;
        this.out = out;
    }

    /** One receiver host: a socket that joins and leaves, and readers counting what arrives on it and on its wire. */
    private static final class Receiver implements AutoCloseable {
        final String name;
        final LinuxMulticastSocket socket;
        final int ifindex;
        final AtomicLong received = new AtomicLong();
        /** The TTL or hop limit of the last datagram taken, -1 before the first. */
        final AtomicInteger lastHops = new AtomicInteger(-1);
        /** Datagrams of the group on the receiver's wire, joined or not: what mcgate forwards to that LAN. */
        final AtomicLong onWire = new AtomicLong();

        InterfacePort wire;
        volatile boolean closed;
        final Thread reader;

        Receiver(String name, LinuxMulticastSocket socket, int ifindex) {
            this.name = name;
            this.socket = socket;
            this.ifindex = ifindex;
            this.reader = new Thread(this::read, "demo-" + name);
            this.reader.setDaemon(true);
            this.reader.start();
        }

        private void read() {
            ReceivedDatagram datagram = new ReceivedDatagram();
            try {
                while (!closed) {
                    // The receive timeout lets the reader see `closed` before the socket goes away under it.
                    if (socket.receive(datagram)) {
                        received.incrementAndGet();
                        lastHops.set(datagram.ttl);
                    }
                }
            } catch (IOException e) {
                // the demo is over
            }
        }

        @Override
        public void close() throws IOException {
            closed = true;
            try {
                reader.join(2 * RECEIVE_TIMEOUT_MILLIS + 1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            socket.close();
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
            boolean ipv4 = stream.family() == IpFamily.IPV4;
            out.printf(
                    "lab '%s' is up: source %s -> router (up0 | down1, down2) -> receivers rx1 %s, rx2 %s%n",
                    topology.prefix(),
                    stream.source(),
                    ipv4 ? LabTopology.RX1_LINK.hostAddress() : LabTopology.RX1_LINK.hostAddress6(),
                    ipv4 ? LabTopology.RX2_LINK.hostAddress() : LabTopology.RX2_LINK.hostAddress6());
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
            receivers.add(receiver(1));
            receivers.add(receiver(2));
            DatagramChannel source = sender();
            InetSocketAddress destination =
                    new InetSocketAddress(InetAddress.getByName(stream.group().toString()), PORT);
            out.printf(
                    "the source streams %s at %d datagrams/s, %s %d%n%n",
                    stream.socketText(PORT), RATE_PPS, stream.hopField(), HOPS);
            out.println("  datagrams per second: on each receiver's wire (what mcgate forwards) / taken by its socket");
            out.println("  time   rx1 wire/socket   rx2 wire/socket   what happens");
            int logLinesShown = 0;
            long[] lastCounts = new long[4];
            String status = null;
            long start = System.nanoTime();
            long seq = 0;
            for (int second = 0; second < SECONDS; second++) {
                String event = switch (second) {
                    case 1 -> join(receivers.get(0));
                    case 4 -> join(receivers.get(1));
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
                    source.send(payload, destination);
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
                if (second == STATUS_SECOND) {
                    // Asked in-process over the control socket (milliseconds), shown after the table so as not to break
                    // it.
                    status = mcgateSays();
                }
                logLinesShown = showMembershipLines(log, logLinesShown);
                out.flush();
            }
            source.close();
            out.printf(
                    "%nsent %d; rx1 got %d, rx2 got %d; %s on arrival: rx1 %s, rx2 %s (sent with %d: mcgate's hop)%n",
                    seq,
                    lastCounts[1],
                    lastCounts[3],
                    stream.hopField(),
                    hops(receivers.get(0)),
                    hops(receivers.get(1)),
                    HOPS);
            if (status != null) {
                out.printf("%nmcgate's status and groups at %d s (both receivers joined):%n", STATUS_SECOND + 1);
                out.print(status);
            }
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

    private static String hops(Receiver r) {
        int hops = r.lastHops.get();
        return hops < 0 ? "-" : Integer.toString(hops);
    }

    private Receiver receiver(int n) throws IOException {
        String ns = topology.receiver(n);
        NetworkInterface eth0 = Netns.call(ns, () -> NetworkInterface.getByName(LabTopology.HOST_IF));
        if (eth0 == null) {
            throw new IOException("no " + LabTopology.HOST_IF + " in " + ns);
        }
        // The socket belongs to the namespace it is opened in; its joins then go out of that namespace's eth0.
        LinuxMulticastSocket socket = Netns.call(ns, () -> {
            LinuxMulticastSocket s = LinuxMulticastSocket.bind(stream.group(), PORT, 0);
            s.receiveTimeout(RECEIVE_TIMEOUT_MILLIS);
            return s;
        });
        Receiver r = new Receiver("rx" + n, socket, eth0.getIndex());
        r.wire = Netns.call(ns, () -> {
            NetInterface port = new SystemInterfaces()
                    .find(LabTopology.HOST_IF)
                    .orElseThrow(() -> new IOException("no " + LabTopology.HOST_IF + " in " + ns));
            DemoStream.Matcher matcher = stream.matcher();
            CaptureFilter filter =
                    stream.family() == IpFamily.IPV4 ? CaptureFilter.IGMP_AND_MULTICAST : CaptureFilter.BOTH_FAMILIES;
            return new PcapPacketIo().open(port, filter, (p, frame, length) -> {
                if (matcher.matches(frame, length, p.linkType())) {
                    r.onWire.incrementAndGet();
                }
            });
        });
        return r;
    }

    private DatagramChannel sender() throws IOException {
        boolean ipv4 = stream.family() == IpFamily.IPV4;
        return Netns.call(topology.source(), () -> {
            DatagramChannel c = DatagramChannel.open(ipv4 ? StandardProtocolFamily.INET : StandardProtocolFamily.INET6);
            c.setOption(StandardSocketOptions.IP_MULTICAST_IF, NetworkInterface.getByName(LabTopology.HOST_IF));
            // For an IPv6 channel this is the hop limit (IPV6_MULTICAST_HOPS).
            c.setOption(StandardSocketOptions.IP_MULTICAST_TTL, HOPS);
            // Bound to the source address the receivers name in an (S,G) join, not whatever the kernel would pick.
            c.bind(new InetSocketAddress(InetAddress.getByName(stream.source().toString()), 0));
            return c;
        });
    }

    private String join(Receiver r) throws IOException {
        if (stream.sourceSpecific()) {
            r.socket.joinSourceGroup(stream.group(), r.ifindex, stream.source());
        } else {
            r.socket.joinGroup(stream.group(), r.ifindex);
        }
        return r.name + " joins " + stream.joinText();
    }

    private String leave(Receiver r) throws IOException {
        if (stream.sourceSpecific()) {
            r.socket.leaveSourceGroup(stream.group(), r.ifindex, stream.source());
        } else {
            r.socket.leaveGroup(stream.group(), r.ifindex);
        }
        return r.name + " leaves";
    }

    /** mcgate's own answers to {@code status} and {@code groups}, as the operator would read them, indented. */
    private String mcgateSays() {
        StringBuilder said = new StringBuilder();
        ControlSocketProbe probe = new ControlSocketProbe(topology.routerControlSocket());
        for (String request : List.of("status", "groups")) {
            said.append("  $ mcgate ").append(request).append('\n');
            String text;
            try {
                text = probe.text(request);
            } catch (LabException e) {
                text = "(no answer: " + e.getMessage() + ")";
            }
            text.lines().forEach(line -> said.append("    ").append(line).append('\n'));
        }
        return said.toString();
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
