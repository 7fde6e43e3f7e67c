package dev.mcgate.packet;

import dev.mcgate.net.Ip6;
import dev.mcgate.packet.MalformedMldException.Reason;
import java.util.Objects;
import java.util.Optional;

/**
 * An MLD message in its IPv6 packet: the headers tell the MLD layer the sender, the destination, the hop limit and whether
 * a Router Alert (value 0, MLD) came with it. A Hop-by-Hop Options header, if any, is the only extension header accepted
 * in front of the ICMPv6 message: RFC 9777 §5 puts Router Alert there and nothing else.
 */
public record MldPacket(Ipv6Header header, Optional<HopByHopOptions> hopByHop, MldMessage message) {

    public MldPacket {
        Objects.requireNonNull(header, "header");
        Objects.requireNonNull(hopByHop, "hopByHop");
        Objects.requireNonNull(message, "message");
        int expected = hopByHop.isPresent() ? Ipv6Header.NEXT_HEADER_HOP_BY_HOP : Ipv6Header.NEXT_HEADER_ICMPV6;
        if (header.nextHeader() != expected) {
            throw new IllegalArgumentException("next header " + header.nextHeader() + ", " + expected + " expected");
        }
        if (hopByHop.isPresent() && hopByHop.get().nextHeader() != Ipv6Header.NEXT_HEADER_ICMPV6) {
            throw new IllegalArgumentException(
                    "MLD rides in ICMPv6 (58), not " + hopByHop.get().nextHeader());
        }
        // A payload longer than the message is allowed: RFC 2710 §3 lets messages carry octets we ignore.
        if (header.payloadLength() < hopByHopLength(hopByHop) + MldMessageEncoder.length(message)) {
            throw new IllegalArgumentException(
                    "payload length " + header.payloadLength() + " leaves no room for " + message);
        }
    }

    /**
     * The packet mcgate sends for a message, as Linux sends it: hop limit 1, traffic class 0, Router Alert (MLD) in a
     * Hop-by-Hop header (RFC 9777 §5), to {@link MldMessage#destination()}. The source should be link-local (§5.1.14, §5.2.13); that is the caller's to choose.
     */
    public static MldPacket of(Ip6 source, MldMessage message) {
        HopByHopOptions options = HopByHopOptions.MLD_ROUTER_ALERT;
        Ipv6Header header = new Ipv6Header(
                0,
                0,
                options.length() + MldMessageEncoder.length(message),
                Ipv6Header.NEXT_HEADER_HOP_BY_HOP,
                1,
                source,
                message.destination());
        return new MldPacket(header, Optional.of(options), message);
    }

    public Ip6 source() {
        return header.source();
    }

    public Ip6 destination() {
        return header.destination();
    }

    /** A Router Alert option with value 0 ("contains an MLD message", RFC 2711 §2.1) came in a Hop-by-Hop header. */
    public boolean hasRouterAlert() {
        return hopByHop.isPresent() && hopByHop.get().routerAlert().orElse(-1) == Ipv6Option.ROUTER_ALERT_MLD;
    }

    /** Decodes the IPv6 packet at {@code offset}; {@code available} octets may run past it (link padding). */
    public static MldPacket decode(byte[] b, int offset, int available) throws MalformedMldException {
        Ipv6Header header = Ipv6Header.decode(b, offset, available);
        int at = offset + Ipv6Header.LENGTH;
        int end = at + header.payloadLength();
        int next = header.nextHeader();
        Optional<HopByHopOptions> hopByHop = Optional.empty();
        if (next == Ipv6Header.NEXT_HEADER_HOP_BY_HOP) {
            HopByHopOptions options = HopByHopOptions.decode(b, at, end - at);
            hopByHop = Optional.of(options);
            at += options.length();
            next = options.nextHeader();
        }
        if (next == Ipv6Header.NEXT_HEADER_FRAGMENT) {
            throw new MalformedMldException(Reason.FRAGMENTED, "IPv6 Fragment header");
        }
        if (next != Ipv6Header.NEXT_HEADER_ICMPV6) {
            throw new MalformedMldException(Reason.NOT_ICMPV6, "next header " + next);
        }
        MldMessage message = MldMessageDecoder.decode(b, at, end - at, header.source(), header.destination());
        return new MldPacket(header, hopByHop, message);
    }

    /** The whole packet; octets past the message (if the payload length says there are more) are zero. */
    public byte[] encode() {
        byte[] b = new byte[header.totalLength()];
        encodeInto(b, 0);
        return b;
    }

    public int encodeInto(byte[] b, int offset) {
        int at = offset + header.writeTo(b, offset);
        if (hopByHop.isPresent()) {
            at += hopByHop.get().writeTo(b, at);
        }
        int end = offset + header.totalLength();
        int messageEnd = at + MldMessageEncoder.writeInto(message, b, at);
        // Octets past the message are zero (the buffer may be reused), and the checksum covers them too.
        if (messageEnd < end) {
            java.util.Arrays.fill(b, messageEnd, end, (byte) 0);
        }
        MldMessageEncoder.fillChecksum(b, at, end - at, header.source(), header.destination());
        return header.totalLength();
    }

    private static int hopByHopLength(Optional<HopByHopOptions> hopByHop) {
        return hopByHop.map(HopByHopOptions::length).orElse(0);
    }
}
