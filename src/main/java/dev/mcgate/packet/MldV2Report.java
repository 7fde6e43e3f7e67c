package dev.mcgate.packet;

import dev.mcgate.net.Ip6;
import java.util.List;

/**
 * A Version 2 Multicast Listener Report (ICMPv6 type 143, RFC 9777 §5.2), sent to all MLDv2 routers (ff02::16).
 *
 * @param unrecognizedRecords how many records of a type outside 1..6 the received report also held; they are skipped
 *     (RFC 9777 §5.2.12), so they are only counted, never encoded
 */
public record MldV2Report(List<MulticastAddressRecord> records, int unrecognizedRecords) implements MldMessage {

    public MldV2Report {
        records = List.copyOf(records);
        if (unrecognizedRecords < 0) {
            throw new IllegalArgumentException("unrecognized records " + unrecognizedRecords);
        }
    }

    /** A report of these records only: what mcgate sends. */
    public MldV2Report(List<MulticastAddressRecord> records) {
        this(records, 0);
    }

    @Override
    public Ip6 destination() {
        return Ip6.ALL_MLDV2_ROUTERS;
    }
}
