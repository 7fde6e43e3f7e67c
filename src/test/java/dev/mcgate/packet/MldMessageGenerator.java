package dev.mcgate.packet;

import dev.mcgate.net.Ip6;
import dev.mcgate.net.MacAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/** Seeded random MLD messages, packets and frames of every kind, for round-trip, truncation and fuzz tests. */
final class MldMessageGenerator {

    private final Random random;

    MldMessageGenerator(long seed) {
        this.random = new Random(seed);
    }

    Random random() {
        return random;
    }

    /** A multicast address of a random scope and flags. */
    Ip6 group() {
        return new Ip6(0xff00_0000_0000_0000L | (random.nextLong() >>> 8), random.nextLong());
    }

    Ip6 address() {
        return new Ip6(random.nextLong(), random.nextLong());
    }

    Ip6 linkLocal() {
        return new Ip6(0xfe80_0000_0000_0000L, random.nextLong());
    }

    List<Ip6> sources(int max) {
        int count = random.nextInt(max + 1);
        List<Ip6> sources = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            sources.add(address());
        }
        return sources;
    }

    /** One message of a kind picked at random, all five kinds equally likely. */
    MldMessage message() {
        return switch (random.nextInt(5)) {
            case 0 -> new MldV1Query(random.nextInt(4) == 0 ? group() : Ip6.UNSPECIFIED, random.nextInt(0x10000));
            case 1 -> v2Query();
            case 2 -> new MldV1Report(group());
            case 3 -> new MldDone(group());
            default -> v2Report(random.nextInt(5), 4);
        };
    }

    MldV2Query v2Query() {
        boolean general = random.nextInt(3) == 0;
        return new MldV2Query(
                general ? Ip6.UNSPECIFIED : group(),
                random.nextBoolean() ? random.nextInt(32768) : random.nextInt(FloatingPointCode.MAX_VALUE_16 + 1),
                random.nextBoolean(),
                random.nextInt(8),
                random.nextBoolean() ? random.nextInt(128) : random.nextInt(FloatingPointCode.MAX_VALUE + 1),
                general ? List.of() : sources(4));
    }

    MldV2Report v2Report(int records, int maxSources) {
        List<MulticastAddressRecord> list = new ArrayList<>(records);
        for (int i = 0; i < records; i++) {
            list.add(new MulticastAddressRecord(RecordType.values()[random.nextInt(6)], group(), sources(maxSources)));
        }
        return new MldV2Report(list);
    }

    /** Hop-by-Hop options: mostly Linux's RA + PadN, sometimes the bridge's RA + Pad1 Pad1, an unknown skippable one, or none. */
    Optional<HopByHopOptions> hopByHop() {
        return switch (random.nextInt(5)) {
            case 0 -> Optional.empty();
            case 1 ->
                Optional.of(new HopByHopOptions(
                        Ipv6Header.NEXT_HEADER_ICMPV6,
                        List.of(Ipv6Option.ROUTER_ALERT, Ipv6Option.PAD1, Ipv6Option.PAD1)));
            case 2 ->
                Optional.of(new HopByHopOptions(
                        Ipv6Header.NEXT_HEADER_ICMPV6,
                        List.of(
                                new Ipv6Option(0x1e, new byte[] {1, 2, 3}),
                                Ipv6Option.ROUTER_ALERT,
                                Ipv6Option.padN(3))));
            default -> Optional.of(HopByHopOptions.MLD_ROUTER_ALERT);
        };
    }

    /** An MLD packet from a random link-local sender, sometimes with octets past the message. */
    MldPacket packet() {
        MldMessage message = message();
        Optional<HopByHopOptions> hopByHop = hopByHop();
        int extra = random.nextInt(8) == 0 ? 1 + random.nextInt(4) : 0;
        if (message instanceof MulticastListenerQuery) {
            // Octets past a query change its version (RFC 9777 §8.1); only the v2 form may carry them.
            extra = message instanceof MldV2Query ? extra : 0;
        }
        Ipv6Header header = new Ipv6Header(
                random.nextInt(256),
                random.nextInt(0x100000),
                hopByHop.map(HopByHopOptions::length).orElse(0) + MldMessageEncoder.length(message) + extra,
                hopByHop.isPresent() ? Ipv6Header.NEXT_HEADER_HOP_BY_HOP : Ipv6Header.NEXT_HEADER_ICMPV6,
                random.nextInt(8) == 0 ? random.nextInt(256) : 1,
                random.nextInt(8) == 0 ? Ip6.UNSPECIFIED : linkLocal(),
                message.destination());
        return new MldPacket(header, hopByHop, message);
    }

    /** Ethernet (half of them with an 802.1Q tag) or raw IP. */
    MldFrame frame() {
        MldPacket packet = packet();
        if (random.nextInt(3) == 0) {
            return MldFrame.rawIp(packet);
        }
        int tci = random.nextBoolean() ? EthernetHeader.NO_VLAN : random.nextInt(0x10000);
        return new MldFrame(
                Optional.of(new EthernetHeader(
                        MldFrame.groupMac(packet.destination()),
                        new MacAddress(random.nextLong() & 0xFFFF_FFFF_FFFEL & ~0x0100_0000_0000L),
                        tci,
                        EthernetHeader.ETHERTYPE_IPV6)),
                packet);
    }
}
