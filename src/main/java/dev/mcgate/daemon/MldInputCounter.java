package dev.mcgate.daemon;

import dev.mcgate.counters.Counter;
import dev.mcgate.counters.CounterSpec;
import java.util.List;

/** What the MLD input rules (RFC 9777 §5, §5.1.14, §5.2.13; RFC 2710 §3) dropped or skipped, per interface and rule. */
public enum MldInputCounter implements Counter {
    VLAN_TAGGED(
            "mld_input_vlan_tagged",
            "MLD frames dropped for carrying an 802.1Q tag on an untagged interface (the VLAN's, not this LAN's)"),
    HOP_LIMIT_NOT_1(
            "mld_input_hop_limit_not_1",
            "MLD messages dropped for an IPv6 hop limit other than 1 (RFC 9777 section 5: never routed)"),
    NO_ROUTER_ALERT(
            "mld_input_no_router_alert",
            "MLD messages dropped for lacking the Router Alert option in a Hop-by-Hop header (RFC 9777 section 5,"
                    + " RFC 2710 section 3)"),
    SOURCE_NOT_LINK_LOCAL(
            "mld_input_source_not_link_local",
            "MLD messages dropped for a source that is neither link-local nor :: (RFC 9777 sections 5.1.14, 5.2.13)"),
    REPORT_FROM_UNSPECIFIED(
            "mld_input_report_from_unspecified",
            "MLD reports and Dones from :: ignored: a host still doing duplicate address detection, not a listener"
                    + " (RFC 9777 section 5.2.13)"),
    BAD_DESTINATION(
            "mld_input_bad_destination",
            "MLD messages dropped for a destination their type is never sent to (queries: ff02::1 or their address;"
                    + " MLDv2 reports: ff02::16; MLDv1 reports: their address; Dones: ff02::2 or their address)"),
    UNRECOGNIZED_RECORDS(
            "mld_input_unrecognized_records_skipped",
            "Multicast address records of an unrecognized type skipped in MLDv2 reports whose other records were"
                    + " applied (RFC 9777 section 5.2.12)");

    static final MldInputCounter[] VALUES = values();

    private final CounterSpec spec;

    MldInputCounter(String metric, String help) {
        this.spec = new CounterSpec(metric, help, List.of("interface"));
    }

    @Override
    public CounterSpec spec() {
        return spec;
    }
}
