package dev.mcgate.packet;

import dev.mcgate.net.Ip4;
import java.util.List;

/**
 * An IGMPv3 Membership Report (type 0x22, RFC 3376 §4.2), sent to all IGMPv3 routers (224.0.0.22).
 *
 * @param unrecognizedRecords how many group records of a type outside 1..6 the received report also held; they are
 *     skipped (RFC 9776 §4.2.13), so they are only counted, never encoded
 */
public record V3MembershipReport(List<GroupRecord> records, int unrecognizedRecords) implements IgmpMessage {

    public V3MembershipReport {
        records = List.copyOf(records);
        if (unrecognizedRecords < 0) {
            throw new IllegalArgumentException("unrecognized records " + unrecognizedRecords);
        }
    }

    /** A report of these records only: what mcgate sends. */
    public V3MembershipReport(List<GroupRecord> records) {
        this(records, 0);
    }

    @Override
    public Ip4 destination() {
        return Ip4.ALL_IGMPV3_ROUTERS;
    }
}
