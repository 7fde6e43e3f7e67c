package dev.mcgate.packet;

import static dev.mcgate.packet.Bytes.put16;
import static dev.mcgate.packet.Bytes.put32;

import dev.mcgate.net.Ip4;

/**
 * Encodes IGMP messages into their wire form, checksum included.
 */
public final class IgmpMessageEncoder {

    /** Largest IGMP message that fits an IPv4 packet with a Router Alert option. */
    static final int MAX_LENGTH = 65535 - Ipv4Header.IGMP_HEADER_LENGTH;

    private IgmpMessageEncoder() {}

    /** Octets the message takes on the wire. */
    public static int length(IgmpMessage message) {
        if (message instanceof V3Query q) {
            return IgmpMessageDecoder.V3_QUERY_MIN_LENGTH + 4 * q.sources().size();
        }
        if (message instanceof V3MembershipReport r) {
            int length = IgmpMessageDecoder.HEADER_LENGTH;
            for (GroupRecord record : r.records()) {
                length += recordLength(record);
            }
            return length;
        }
        return IgmpMessageDecoder.HEADER_LENGTH;
    }

    static int recordLength(GroupRecord record) {
        return IgmpMessageDecoder.RECORD_HEADER_LENGTH + 4 * record.sources().size();
    }

    public static byte[] encode(IgmpMessage message) {
        byte[] b = new byte[length(message)];
        encodeInto(message, b, 0);
        return b;
    }

    /** Writes the message at {@code offset} and returns its length; the array must have room for {@link #length}. */
    public static int encodeInto(IgmpMessage message, byte[] b, int offset) {
        int length = length(message);
        if (length > MAX_LENGTH) {
            throw new IllegalArgumentException("message of " + length + " octets does not fit an IPv4 packet");
        }
        // Java 17 has no pattern switch; the sealed interface keeps this list complete (checked by the round-trip
        // tests).
        if (message instanceof V1Query q) {
            header(b, offset, IgmpType.MEMBERSHIP_QUERY, 0, q.group());
        } else if (message instanceof V2Query q) {
            header(b, offset, IgmpType.MEMBERSHIP_QUERY, q.maxRespTime(), q.group());
        } else if (message instanceof V3Query q) {
            writeV3Query(q, b, offset);
        } else if (message instanceof V1MembershipReport r) {
            header(b, offset, IgmpType.V1_MEMBERSHIP_REPORT, 0, r.group());
        } else if (message instanceof V2MembershipReport r) {
            header(b, offset, IgmpType.V2_MEMBERSHIP_REPORT, 0, r.group());
        } else if (message instanceof LeaveGroup l) {
            header(b, offset, IgmpType.LEAVE_GROUP, 0, l.group());
        } else if (message instanceof V3MembershipReport r) {
            writeV3Report(r, b, offset);
        } else {
            throw new IllegalArgumentException("unknown message " + message);
        }
        InternetChecksum.fill(b, offset, length, offset + 2);
        return length;
    }

    private static void header(byte[] b, int at, int type, int maxRespCode, Ip4 group) {
        b[at] = (byte) type;
        b[at + 1] = (byte) maxRespCode;
        put16(b, at + 2, 0);
        put32(b, at + 4, group.bits());
    }

    /** RFC 3376 §4.1 layout; Resv is sent as zero. */
    private static void writeV3Query(V3Query q, byte[] b, int at) {
        header(b, at, IgmpType.MEMBERSHIP_QUERY, FloatingPointCode.encode(q.maxRespTime()), q.group());
        b[at + 8] = (byte) ((q.suppressRouterSideProcessing() ? 0x08 : 0) | q.querierRobustnessVariable());
        b[at + 9] = (byte) FloatingPointCode.encode(q.querierQueryInterval());
        put16(b, at + 10, q.sources().size());
        int p = at + IgmpMessageDecoder.V3_QUERY_MIN_LENGTH;
        for (Ip4 source : q.sources()) {
            put32(b, p, source.bits());
            p += 4;
        }
    }

    /** RFC 3376 §4.2 layout; both Reserved fields are sent as zero, no auxiliary data. */
    private static void writeV3Report(V3MembershipReport r, byte[] b, int at) {
        header(b, at, IgmpType.V3_MEMBERSHIP_REPORT, 0, Ip4.ANY);
        put16(b, at + 6, r.records().size());
        int p = at + IgmpMessageDecoder.HEADER_LENGTH;
        for (GroupRecord record : r.records()) {
            b[p] = (byte) record.type().code();
            b[p + 1] = 0;
            put16(b, p + 2, record.sources().size());
            put32(b, p + 4, record.group().bits());
            p += IgmpMessageDecoder.RECORD_HEADER_LENGTH;
            for (Ip4 source : record.sources()) {
                put32(b, p, source.bits());
                p += 4;
            }
        }
    }
}
