package dev.mcgate.packet;

import static dev.mcgate.packet.Bytes.i32;
import static dev.mcgate.packet.Bytes.u16;
import static dev.mcgate.packet.Bytes.u8;

import dev.mcgate.net.Ip4;
import dev.mcgate.packet.MalformedPacketException.Reason;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes the IGMP message carried in an IPv4 payload (all of it: the checksum covers the whole payload).
 */
public final class IgmpMessageDecoder {

    /** Type, Max Resp Code, Checksum, Group Address: the part every IGMP message has. */
    static final int HEADER_LENGTH = 8;
    /** RFC 3376 §4.1: a v3 query has at least 12 octets. */
    static final int V3_QUERY_MIN_LENGTH = 12;
    /** RFC 3376 §4.2.4: Record Type, Aux Data Len, Number of Sources, Multicast Address. */
    static final int RECORD_HEADER_LENGTH = 8;

    private IgmpMessageDecoder() {}

    public static IgmpMessage decode(byte[] b, int offset, int length) throws MalformedPacketException {
        if (offset < 0 || length < 0 || offset + length > b.length) {
            throw new IllegalArgumentException("range outside the array");
        }
        if (length < HEADER_LENGTH) {
            throw new MalformedPacketException(Reason.TRUNCATED, "IGMP message of " + length + " octets");
        }
        if (!InternetChecksum.verify(b, offset, length)) {
            throw new MalformedPacketException(Reason.BAD_CHECKSUM, "IGMP checksum");
        }
        int type = u8(b, offset);
        Ip4 group = new Ip4(i32(b, offset + 4));
        return switch (type) {
            case IgmpType.MEMBERSHIP_QUERY -> decodeQuery(b, offset, length, group);
            // RFC 2236 §2.5: ignore anything past the first 8 octets of a message we recognise.
            case IgmpType.V1_MEMBERSHIP_REPORT -> new V1MembershipReport(group);
            case IgmpType.V2_MEMBERSHIP_REPORT -> new V2MembershipReport(group);
            case IgmpType.LEAVE_GROUP -> new LeaveGroup(group);
            case IgmpType.V3_MEMBERSHIP_REPORT -> decodeV3Report(b, offset, length);
            default ->
                throw new MalformedPacketException(Reason.UNKNOWN_TYPE, "IGMP type 0x" + Integer.toHexString(type));
        };
    }

    /** RFC 3376 §7.1: the version of a query is told apart by its length and Max Resp Code. */
    private static MembershipQuery decodeQuery(byte[] b, int offset, int length, Ip4 group)
            throws MalformedPacketException {
        int maxRespCode = u8(b, offset + 1);
        if (length == HEADER_LENGTH) {
            // IGMPv1 Query: length = 8 octets AND Max Resp Code field is zero; IGMPv2 Query: non-zero.
            return maxRespCode == 0 ? new V1Query(group) : new V2Query(group, maxRespCode);
        }
        if (length < V3_QUERY_MIN_LENGTH) {
            // "Query messages that do not match any of the above conditions MUST be silently ignored."
            throw new MalformedPacketException(Reason.BAD_LENGTH, "query of " + length + " octets");
        }
        // RFC 3376 §4.1: Resv(4) S(1) QRV(3) | QQIC | Number of Sources (N) | Source Address [1..N]
        int flags = u8(b, offset + 8);
        int qqic = u8(b, offset + 9);
        int count = u16(b, offset + 10);
        if (V3_QUERY_MIN_LENGTH + 4 * count > length) {
            throw new MalformedPacketException(Reason.BAD_LENGTH, count + " sources do not fit " + length + " octets");
        }
        List<Ip4> sources = readSources(b, offset + V3_QUERY_MIN_LENGTH, count);
        if (!sources.isEmpty() && group.equals(Ip4.ANY)) {
            throw new MalformedPacketException(Reason.BAD_LENGTH, "general query with sources");
        }
        return new V3Query(
                group,
                FloatingPointCode.decode(maxRespCode),
                (flags & 0x08) != 0,
                flags & 0x07,
                FloatingPointCode.decode(qqic),
                sources);
    }

    /** RFC 3376 §4.2: Reserved | Checksum | Reserved | Number of Group Records (M) | Group Record [1..M]. */
    private static V3MembershipReport decodeV3Report(byte[] b, int offset, int length) throws MalformedPacketException {
        int count = u16(b, offset + 6);
        int end = offset + length;
        int at = offset + HEADER_LENGTH;
        // The count is the sender's word: size the list by what the octets can hold, not by it.
        List<GroupRecord> records = new ArrayList<>(Math.min(count, (length - HEADER_LENGTH) / RECORD_HEADER_LENGTH));
        int unrecognized = 0;
        for (int r = 0; r < count; r++) {
            if (at + RECORD_HEADER_LENGTH > end) {
                throw new MalformedPacketException(
                        Reason.BAD_LENGTH, "group record " + r + " of " + count + " past the end");
            }
            RecordType type = RecordType.fromCode(u8(b, at));
            int auxWords = u8(b, at + 1);
            int sourceCount = u16(b, at + 2);
            Ip4 group = new Ip4(i32(b, at + 4));
            int recordLength = RECORD_HEADER_LENGTH + 4 * sourceCount + 4 * auxWords;
            if (at + recordLength > end) {
                throw new MalformedPacketException(Reason.BAD_LENGTH, "group record " + r + " runs past the end");
            }
            if (type == null) {
                // RFC 9776 §4.2.13: a record of an unrecognized type (1..6 are defined) is skipped, its length known
                // from its own header, and the report's other records still apply.
                unrecognized++;
            } else {
                // RFC 3376 §4.2.10: auxiliary data is skipped; no v3 auxiliary data is defined.
                records.add(new GroupRecord(type, group, readSources(b, at + RECORD_HEADER_LENGTH, sourceCount)));
            }
            at += recordLength;
        }
        return new V3MembershipReport(records, unrecognized);
    }

    /** An immutable list straight away, so that the records' List.copyOf has nothing left to copy. */
    private static List<Ip4> readSources(byte[] b, int at, int count) {
        if (count == 0) {
            return List.of();
        }
        Ip4[] sources = new Ip4[count];
        for (int i = 0; i < count; i++) {
            sources[i] = new Ip4(i32(b, at + 4 * i));
        }
        return List.of(sources);
    }
}
