package dev.mcgate.packet;

import static dev.mcgate.packet.Bytes.put16;

import dev.mcgate.net.Ip6;

/**
 * Encodes MLD messages as ICMPv6 packets; reserved fields and Code are sent as zero, no auxiliary data. The checksum
 * needs the IPv6 addresses (pseudo-header), so it is written by {@link #encode} or by the packet around the message.
 */
public final class MldMessageEncoder {

    private MldMessageEncoder() {}

    /** Octets the message takes on the wire. */
    public static int length(MldMessage message) {
        if (message instanceof MldV2Query q) {
            return MldMessageDecoder.V2_QUERY_MIN_LENGTH + 16 * q.sources().size();
        }
        if (message instanceof MldV2Report r) {
            int length = MldMessageDecoder.V2_REPORT_HEADER_LENGTH;
            for (MulticastAddressRecord record : r.records()) {
                length += MldMessageDecoder.RECORD_HEADER_LENGTH
                        + 16 * record.sources().size();
            }
            return length;
        }
        // MLDv1 query, v1 report and done: the fixed RFC 2710 §3 layout.
        return MldMessageDecoder.V1_LENGTH;
    }

    /** The message with its checksum for an IPv6 packet from {@code source} to {@code destination}. */
    public static byte[] encode(MldMessage message, Ip6 source, Ip6 destination) {
        byte[] b = new byte[length(message)];
        writeInto(message, b, 0);
        fillChecksum(b, 0, b.length, source, destination);
        return b;
    }

    /** Writes the ICMPv6 checksum (RFC 4443 §2.3) of the {@code length} octets at {@code offset}. */
    static void fillChecksum(byte[] b, int offset, int length, Ip6 source, Ip6 destination) {
        long pseudo = InternetChecksum.ipv6PseudoHeaderSum(
                source.high(),
                source.low(),
                destination.high(),
                destination.low(),
                length,
                Ipv6Header.NEXT_HEADER_ICMPV6);
        InternetChecksum.fill(pseudo, b, offset, length, offset + 2);
    }

    /** Writes the message with a zero checksum; returns its length. */
    static int writeInto(MldMessage message, byte[] b, int at) {
        if (message instanceof MldV1Query q) {
            v1(b, at, MldType.MULTICAST_LISTENER_QUERY, q.maxResponseDelay(), q.multicastAddress());
        } else if (message instanceof MldV1Report r) {
            v1(b, at, MldType.V1_MULTICAST_LISTENER_REPORT, 0, r.multicastAddress());
        } else if (message instanceof MldDone d) {
            v1(b, at, MldType.MULTICAST_LISTENER_DONE, 0, d.multicastAddress());
        } else if (message instanceof MldV2Query q) {
            writeV2Query(q, b, at);
        } else if (message instanceof MldV2Report r) {
            writeV2Report(r, b, at);
        } else {
            throw new IllegalArgumentException("unknown message " + message);
        }
        return length(message);
    }

    /** RFC 2710 §3 layout, which the MLDv2 query starts with too. */
    private static void v1(byte[] b, int at, int type, int maxResponseCode, Ip6 address) {
        b[at] = (byte) type;
        b[at + 1] = 0;
        put16(b, at + 2, 0);
        put16(b, at + 4, maxResponseCode);
        put16(b, at + 6, 0);
        address.writeTo(b, at + 8);
    }

    /** RFC 9777 §5.1 layout; Resv is sent as zero. */
    private static void writeV2Query(MldV2Query q, byte[] b, int at) {
        v1(
                b,
                at,
                MldType.MULTICAST_LISTENER_QUERY,
                FloatingPointCode.encode16(q.maxResponseDelay()),
                q.multicastAddress());
        b[at + 24] = (byte) ((q.suppressRouterSideProcessing() ? 0x08 : 0) | q.querierRobustnessVariable());
        b[at + 25] = (byte) FloatingPointCode.encode(q.querierQueryInterval());
        put16(b, at + 26, q.sources().size());
        int p = at + MldMessageDecoder.V2_QUERY_MIN_LENGTH;
        for (Ip6 source : q.sources()) {
            source.writeTo(b, p);
            p += 16;
        }
    }

    /** RFC 9777 §5.2 layout. */
    private static void writeV2Report(MldV2Report r, byte[] b, int at) {
        b[at] = (byte) MldType.V2_MULTICAST_LISTENER_REPORT;
        b[at + 1] = 0;
        put16(b, at + 2, 0);
        put16(b, at + 4, 0);
        put16(b, at + 6, r.records().size());
        int p = at + MldMessageDecoder.V2_REPORT_HEADER_LENGTH;
        for (MulticastAddressRecord record : r.records()) {
            b[p] = (byte) record.type().code();
            b[p + 1] = 0;
            put16(b, p + 2, record.sources().size());
            record.multicastAddress().writeTo(b, p + 4);
            p += MldMessageDecoder.RECORD_HEADER_LENGTH;
            for (Ip6 source : record.sources()) {
                source.writeTo(b, p);
                p += 16;
            }
        }
    }
}
