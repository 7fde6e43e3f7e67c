package dev.mcgate.host;

import dev.mcgate.net.IpAddress;
import dev.mcgate.net.IpFamily;
import java.util.List;

/**
 * Where the family-neutral host side hands what it wants sent; one adapter per family turns it into IGMP
 * ({@link IgmpHostOutput}) or MLD ({@link MldHostOutput}) messages.
 */
interface HostOutput {

    IpFamily family();

    /** An IGMPv3 / MLDv2 report of these records (the adapter splits it if it does not fit one packet). */
    void report(List<HostRecord> records);

    /** An unsolicited or answering report of the older version {@code mode} (IGMPv1/v2 report, MLDv1 report). */
    void olderReport(IpAddress group, CompatibilityMode mode);

    /** IGMPv2 Leave Group or MLDv1 Done. */
    void leave(IpAddress group);
}
