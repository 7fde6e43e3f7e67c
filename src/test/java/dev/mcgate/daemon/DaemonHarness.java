package dev.mcgate.daemon;

import dev.mcgate.config.ConfigLoader;
import dev.mcgate.config.Format;
import dev.mcgate.config.LogLevel;
import dev.mcgate.config.McgateConfig;
import dev.mcgate.forward.Forwarder;
import dev.mcgate.io.InterfaceChange;
import dev.mcgate.io.InterfaceDirectory;
import dev.mcgate.io.NetInterface;
import dev.mcgate.io.SimulatedLan;
import dev.mcgate.net.Ip4;
import dev.mcgate.net.Ip4Prefix;
import dev.mcgate.packet.GroupRecord;
import dev.mcgate.packet.IgmpEncoder;
import dev.mcgate.packet.IgmpMessage;
import dev.mcgate.packet.IgmpPacket;
import dev.mcgate.packet.InternetChecksum;
import dev.mcgate.packet.MalformedPacketException;
import dev.mcgate.packet.RecordType;
import dev.mcgate.packet.V3MembershipReport;
import dev.mcgate.proxy.ProxyCore;
import dev.mcgate.time.RandomSource;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The whole daemon wired as {@code mcgate run} wires it, on a {@link SimulatedLan} of raw-IP links and a
 * {@link ManualLoop}: up0 (segment "wan", source 192.0.2.10), down1 ("lan1"), down2 ("lan2"), down3 ("lan3"), each
 * on its own /24. Time moves only when a test says so.
 */
final class DaemonHarness implements AutoCloseable {

    static final Ip4 SOURCE = Ip4.parse("192.0.2.10");

    final ManualLoop loop = new ManualLoop();
    final SimulatedLan lan = new SimulatedLan();
    final Map<String, NetInterface> system = new LinkedHashMap<>();
    final InterfaceDirectory directory = () -> List.copyOf(system.values());
    final Path file;
    final ForwardingPlane forwarding;
    final ProxyCore proxy;
    final IgmpRouting igmp;
    final InterfaceRegistry interfaces;
    final Tunnels tunnels;
    final ConfigReload reload;
    final List<LogLevel> logLevels = new ArrayList<>();
    final List<Path> controlSockets = new ArrayList<>();

    final dev.mcgate.io.PacketIo packetIo;

    DaemonHarness(Path file, String config) throws Exception {
        this(file, config, lan -> lan, IoExecutor.DIRECT);
    }

    /**
     * @param packetIo the packet I/O the daemon opens ports with, given the simulated LAN's
     * @param io       where port opens and closes run (at once, on the loop's thread, unless a test says otherwise)
     */
    DaemonHarness(
            Path file, String config, java.util.function.UnaryOperator<dev.mcgate.io.PacketIo> packetIo, IoExecutor io)
            throws Exception {
        this.file = file;
        this.packetIo = packetIo.apply(lan);
        Files.writeString(file, config);
        McgateConfig loaded = ConfigLoader.load(file, Format.AUTO).config();
        addInterface("up0", 2, "192.0.2.1", "wan");
        addInterface("down1", 3, "198.51.100.1", "lan1");
        addInterface("down2", 4, "203.0.113.1", "lan2");
        addInterface("down3", 5, "100.64.3.1", "lan3");
        forwarding = new ForwardingPlane(loaded, loop, new Forwarder(loop::nanoTime));
        proxy = new ProxyCore(loaded, loop, RandomSource.seeded(7), forwarding::onMemberships);
        igmp = new IgmpRouting(loop, proxy, forwarding);
        interfaces = new InterfaceRegistry(loaded, loop, directory, this.packetIo, io, igmp, forwarding);
        tunnels = new Tunnels(loaded, loop, forwarding, proxy, proxy::snapshot, Runnable::run);
        reload = new ConfigReload(
                file,
                Format.AUTO,
                loaded,
                new ConfigReload.Parts(interfaces, loop, proxy, forwarding, tunnels),
                logLevels::add,
                controlSockets::add,
                Runnable::run);
        interfaces.start(Duration.ZERO);
        tunnels.start();
        settle();
    }

    void addInterface(String name, int index, String address, String segment) {
        system.put(name, nif(name, index, address, true, true));
        lan.wire(name, segment);
    }

    static NetInterface nif(String name, int index, String address, boolean up, boolean running) {
        List<NetInterface.InterfaceAddress> addresses = address == null
                ? List.of()
                : List.of(new NetInterface.InterfaceAddress(
                        Ip4.parse(address), Ip4Prefix.containing(Ip4.parse(address), 24)));
        return new NetInterface(
                name,
                index,
                Optional.empty(),
                addresses,
                1500,
                new NetInterface.Flags(up, running, true, false, false));
    }

    /** The system now shows {@code nif} in place of the interface of that name; the watcher tells the daemon. */
    void change(NetInterface nif) {
        List<NetInterface> before = List.copyOf(system.values());
        system.put(nif.name(), nif);
        interfaces.onInterfaceChanges(InterfaceChange.between(before, List.copyOf(system.values())));
        settle();
    }

    /** Delivers every frame and runs every event due, until nothing moves. */
    void settle() {
        do {
            lan.deliverPending();
            loop.scheduler.runDue();
        } while (lan.deliverPending() > 0);
    }

    void advance(Duration by) {
        loop.scheduler.advance(by);
        settle();
    }

    void rewrite(String config) throws Exception {
        Files.writeString(file, config);
    }

    /** A host on a segment reports (IGMPv3, raw IP, as a tun peer would). */
    void report(String segment, Ip4 host, RecordType type, Ip4 group) {
        V3MembershipReport r = new V3MembershipReport(List.of(new GroupRecord(type, group, List.of())));
        IgmpEncoder.v3ReportIpPackets(host, r, 1500).forEach(p -> lan.inject(segment, p));
        settle();
    }

    void join(String segment, Ip4 host, Ip4 group) {
        report(segment, host, RecordType.CHANGE_TO_EXCLUDE_MODE, group);
    }

    /** The source on the upstream sends one datagram to a group, TTL 5; the forwarder runs on delivery. */
    void sendData(Ip4 group, int seq) {
        lan.inject("wan", udp(SOURCE, group, 5, seq));
        settle();
    }

    /** Datagrams to a group seen on a segment, as their sequence numbers. */
    List<Integer> data(String segment, Ip4 group) {
        List<Integer> out = new ArrayList<>();
        for (byte[] p : lan.log(segment)) {
            if (p.length >= 32 && p[9] == 17 && ByteBuffer.wrap(p).getInt(16) == group.bits()) {
                out.add(ByteBuffer.wrap(p).getInt(28));
            }
        }
        return out;
    }

    /** The group records mcgate sent on a segment (its IGMPv3 reports), in order. */
    List<GroupRecord> recordsSent(String segment) {
        List<GroupRecord> out = new ArrayList<>();
        for (byte[] p : lan.log(segment)) {
            if (p.length < 24 || p[9] != 2) {
                continue;
            }
            try {
                IgmpMessage m = IgmpPacket.decode(p, 0, p.length).message();
                if (m instanceof V3MembershipReport r) {
                    out.addAll(r.records());
                }
            } catch (MalformedPacketException e) {
                throw new AssertionError("mcgate sent a malformed IGMP packet", e);
            }
        }
        return out;
    }

    static byte[] udp(Ip4 source, Ip4 group, int ttl, int seq) {
        int total = 20 + 8 + 4;
        ByteBuffer b = ByteBuffer.allocate(total);
        b.put((byte) 0x45)
                .put((byte) 0)
                .putShort((short) total)
                .putShort((short) 0)
                .putShort((short) 0x4000)
                .put((byte) ttl)
                .put((byte) 17)
                .putShort((short) 0)
                .putInt(source.bits())
                .putInt(group.bits());
        // UDP checksum 0: none (RFC 768), so the forwarder has nothing to verify or repair.
        b.putShort((short) 40000)
                .putShort((short) 5000)
                .putShort((short) 12)
                .putShort((short) 0)
                .putInt(seq);
        byte[] p = b.array();
        InternetChecksum.fill(p, 0, 20, 10);
        return p;
    }

    @Override
    public void close() {
        tunnels.close();
        interfaces.close(IoExecutor.DIRECT);
    }
}
