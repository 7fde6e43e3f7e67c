package dev.mcgate.packet;

import dev.mcgate.net.Ip4;
import dev.mcgate.net.MacAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/**
 * Seeded random IGMP messages, packets and frames of every kind, for round-trip, truncation and fuzz tests.
 */
final class MessageGenerator {

    private final Random random;

    MessageGenerator(long seed) {
        this.random = new Random(seed);
    }

    Random random() {
        return random;
    }

    Ip4 group() {
        return new Ip4(0xE000_0000 | (random.nextInt() & 0x0FFF_FFFF));
    }

    Ip4 address() {
        return new Ip4(random.nextInt());
    }

    List<Ip4> sources(int max) {
        int count = random.nextInt(max + 1);
        List<Ip4> sources = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            sources.add(address());
        }
        return sources;
    }

    /** One message of a kind picked at random, all seven kinds equally likely. */
    IgmpMessage message() {
        return switch (random.nextInt(7)) {
            case 0 -> new V1Query(random.nextInt(4) == 0 ? group() : Ip4.ANY);
            case 1 -> new V2Query(random.nextBoolean() ? Ip4.ANY : group(), 1 + random.nextInt(255));
            case 2 -> v3Query();
            case 3 -> new V1MembershipReport(group());
            case 4 -> new V2MembershipReport(group());
            case 5 -> new LeaveGroup(group());
            default -> v3Report(random.nextInt(6), 6);
        };
    }

    V3Query v3Query() {
        boolean general = random.nextInt(3) == 0;
        return new V3Query(
                general ? Ip4.ANY : group(),
                time(),
                random.nextBoolean(),
                random.nextInt(8),
                time(),
                general ? List.of() : sources(5));
    }

    /** A time in the range of the float code, biased towards the small exact values. */
    private int time() {
        return random.nextBoolean() ? random.nextInt(128) : random.nextInt(FloatingPointCode.MAX_VALUE + 1);
    }

    V3MembershipReport v3Report(int records, int maxSources) {
        List<GroupRecord> list = new ArrayList<>(records);
        for (int i = 0; i < records; i++) {
            list.add(new GroupRecord(RecordType.values()[random.nextInt(6)], group(), sources(maxSources)));
        }
        return new V3MembershipReport(list);
    }

    /** An IGMP packet with a random sender, sometimes with extra options besides Router Alert, or none. */
    IgmpPacket packet() {
        IgmpMessage message = message();
        List<IpOption> options = switch (random.nextInt(4)) {
            case 0 -> List.of();
            case 1 -> List.of(IpOption.NOP, IpOption.ROUTER_ALERT, new IpOption(0x88, new byte[] {0x12, 0x34}));
            default -> List.of(IpOption.ROUTER_ALERT);
        };
        int headerLength = Ipv4Header.MIN_LENGTH;
        for (IpOption option : options) {
            headerLength += option.length();
        }
        headerLength = (headerLength + 3) & ~3;
        Ipv4Header header = new Ipv4Header(
                random.nextInt(256),
                headerLength + IgmpMessageEncoder.length(message),
                random.nextInt(0x10000),
                random.nextBoolean() ? Ipv4Header.DONT_FRAGMENT : 0,
                1 + random.nextInt(255),
                Ipv4Header.PROTOCOL_IGMP,
                address(),
                message.destination(),
                options);
        return new IgmpPacket(header, message);
    }

    /** Ethernet (half of them with an 802.1Q tag) or raw IP. */
    IgmpFrame frame() {
        IgmpPacket packet = packet();
        if (random.nextInt(3) == 0) {
            return IgmpFrame.rawIp(packet);
        }
        int tci = random.nextBoolean() ? EthernetHeader.NO_VLAN : random.nextInt(0x10000);
        return new IgmpFrame(
                Optional.of(new EthernetHeader(
                        MacAddress.forGroup(packet.destination()),
                        new MacAddress(random.nextLong() & 0xFFFF_FFFF_FFFEL & ~0x0100_0000_0000L),
                        tci,
                        EthernetHeader.ETHERTYPE_IPV4)),
                packet);
    }
}
