package dev.mcgate.packet;

import static dev.mcgate.packet.Bytes.u16;
import static dev.mcgate.packet.Bytes.u8;

import dev.mcgate.net.Ip6;
import dev.mcgate.packet.MalformedMldException.Reason;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes the MLD message carried as the ICMPv6 upper-layer packet (all of it: the checksum covers the whole of it, and
 * the pseudo-header of the IPv6 packet it came in).
 */
public final class MldMessageDecoder {

    /** Type, Code, Checksum: the ICMPv6 header (RFC 4443 §2.1). */
    static final int ICMP_HEADER_LENGTH = 4;
    /** Type, Code, Checksum, Maximum Response Delay, Reserved, Multicast Address (RFC 2710 §3). */
    static final int V1_LENGTH = 24;
    /** RFC 9777 §5.1: a v2 query has at least 28 octets. */
    static final int V2_QUERY_MIN_LENGTH = 28;
    /** RFC 9777 §5.2: Type, Reserved, Checksum, Reserved, Nr of Mcast Address Records. */
    static final int V2_REPORT_HEADER_LENGTH = 8;
    /** RFC 9777 §5.2.4: Record Type, Aux Data Len, Number of Sources, Multicast Address. */
    static final int RECORD_HEADER_LENGTH = 20;

    private MldMessageDecoder() {}

    /**
     * Decodes {@code length} octets at {@code offset}: the ICMPv6 packet of an IPv6 packet from {@code source} to
     * {@code destination} (the addresses enter the checksum).
     */
    public static MldMessage decode(byte[] b, int offset, int length, Ip6 source, Ip6 destination)
            throws MalformedMldException {
        if (offset < 0 || length < 0 || offset + length > b.length) {
            throw new IllegalArgumentException("range outside the array");
        }
        if (length < ICMP_HEADER_LENGTH) {
            throw new MalformedMldException(Reason.TRUNCATED, "ICMPv6 message of " + length + " octets");
        }
        long pseudo = InternetChecksum.ipv6PseudoHeaderSum(
                source.high(),
                source.low(),
                destination.high(),
                destination.low(),
                length,
                Ipv6Header.NEXT_HEADER_ICMPV6);
        if (!InternetChecksum.verify(pseudo, b, offset, length)) {
            throw new MalformedMldException(Reason.BAD_CHECKSUM, "ICMPv6 checksum");
        }
        int type = u8(b, offset);
        if (type == MldType.V2_MULTICAST_LISTENER_REPORT) {
            return decodeV2Report(b, offset, length);
        }
        if (type != MldType.MULTICAST_LISTENER_QUERY
                && type != MldType.V1_MULTICAST_LISTENER_REPORT
                && type != MldType.MULTICAST_LISTENER_DONE) {
            throw new MalformedMldException(Reason.UNKNOWN_TYPE, "ICMPv6 type " + type);
        }
        if (length < V1_LENGTH) {
            throw new MalformedMldException(Reason.TRUNCATED, "MLD message of " + length + " octets");
        }
        Ip6 address = Ip6.fromBytes(b, offset + 8);
        return switch (type) {
            case MldType.MULTICAST_LISTENER_QUERY -> decodeQuery(b, offset, length, address);
            // RFC 2710 §3: "MUST ignore anything past the first 24 octets of a received MLD message".
            case MldType.V1_MULTICAST_LISTENER_REPORT -> new MldV1Report(address);
            default -> new MldDone(address);
        };
    }

    /** RFC 9777 §8.1: a query's version is told apart by its length. */
    private static MulticastListenerQuery decodeQuery(byte[] b, int offset, int length, Ip6 address)
            throws MalformedMldException {
        int maxResponseCode = u16(b, offset + 4);
        if (length == V1_LENGTH) {
            // "MLDv1 Query: length = 24 octets"; its Maximum Response Delay is a plain count of ms (RFC 2710 §3).
            return new MldV1Query(address, maxResponseCode);
        }
        if (length < V2_QUERY_MIN_LENGTH) {
            // "Query messages that do not match any of the above conditions (e.g., a Query of length 26 octets) MUST be
            // silently ignored."
            throw new MalformedMldException(Reason.BAD_LENGTH, "query of " + length + " octets");
        }
        // RFC 9777 §5.1: Resv(4) S(1) QRV(3) | QQIC | Number of Sources (N) | Source Address [1..N]
        int flags = u8(b, offset + 24);
        int qqic = u8(b, offset + 25);
        int count = u16(b, offset + 26);
        if (V2_QUERY_MIN_LENGTH + 16 * count > length) {
            throw new MalformedMldException(Reason.BAD_LENGTH, count + " sources do not fit " + length + " octets");
        }
        if (count > 0 && address.isUnspecified()) {
            throw new MalformedMldException(Reason.BAD_LENGTH, "general query with sources");
        }
        return new MldV2Query(
                address,
                FloatingPointCode.decode16(maxResponseCode),
                (flags & 0x08) != 0,
                flags & 0x07,
                FloatingPointCode.decode(qqic),
                readSources(b, offset + V2_QUERY_MIN_LENGTH, count));
    }

    /** RFC 9777 §5.2: Type | Reserved | Checksum | Reserved | Nr of Mcast Address Records (M) | records [1..M]. */
    private static MldV2Report decodeV2Report(byte[] b, int offset, int length) throws MalformedMldException {
        if (length < V2_REPORT_HEADER_LENGTH) {
            throw new MalformedMldException(Reason.TRUNCATED, "MLDv2 report of " + length + " octets");
        }
        int count = u16(b, offset + 6);
        int end = offset + length;
        int at = offset + V2_REPORT_HEADER_LENGTH;
        // The count is the sender's word: size the list by what the octets can hold, not by it.
        List<MulticastAddressRecord> records =
                new ArrayList<>(Math.min(count, (length - V2_REPORT_HEADER_LENGTH) / RECORD_HEADER_LENGTH));
        int unrecognized = 0;
        for (int r = 0; r < count; r++) {
            if (at + RECORD_HEADER_LENGTH > end) {
                throw new MalformedMldException(Reason.BAD_LENGTH, "record " + r + " of " + count + " past the end");
            }
            RecordType type = RecordType.fromCode(u8(b, at));
            int auxWords = u8(b, at + 1);
            int sourceCount = u16(b, at + 2);
            int recordLength = RECORD_HEADER_LENGTH + 16 * sourceCount + 4 * auxWords;
            if (at + recordLength > end) {
                throw new MalformedMldException(Reason.BAD_LENGTH, "record " + r + " runs past the end");
            }
            if (type == null) {
                // RFC 9777 §5.2.12: a record of an unrecognized type is skipped, its length known from its own
                // header, and the report's other records still apply.
                unrecognized++;
            } else {
                // RFC 9777 §5.2.10: auxiliary data is skipped; no MLDv2 auxiliary data is defined.
                records.add(new MulticastAddressRecord(
                        type, Ip6.fromBytes(b, at + 4), readSources(b, at + RECORD_HEADER_LENGTH, sourceCount)));
            }
            at += recordLength;
        }
        return new MldV2Report(records, unrecognized);
    }

    private static List<Ip6> readSources(byte[] b, int at, int count) {
        if (count == 0) {
            return List.of();
        }
        Ip6[] sources = new Ip6[count];
        for (int i = 0; i < count; i++) {
            sources[i] = Ip6.fromBytes(b, at + 16 * i);
        }
        return List.of(sources);
    }
}
