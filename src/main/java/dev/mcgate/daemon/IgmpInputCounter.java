package dev.mcgate.daemon;

import dev.mcgate.counters.Counter;
import dev.mcgate.counters.CounterSpec;
import java.util.List;

/** What the IGMP input rules (RFC 9776 §4, §4.2.13, §4.2.14, §9) dropped or skipped, per interface and rule. */
public enum IgmpInputCounter implements Counter {
    VLAN_TAGGED(
            "igmp_input_vlan_tagged_dropped",
            "IGMP frames dropped for carrying an 802.1Q tag on an untagged interface (the VLAN's, not this LAN's)"),
    TTL_NOT_1(
            "igmp_input_ttl_not_1_dropped",
            "IGMP messages dropped for an IP TTL other than 1 (RFC 9776 section 4: sent with TTL 1, never routed)"),
    NO_ROUTER_ALERT(
            "igmp_input_no_router_alert_dropped",
            "IGMPv3 messages dropped for lacking the IP Router Alert option (RFC 9776 section 9.1)"),
    BAD_DESTINATION(
            "igmp_input_bad_destination_dropped",
            "IGMP messages dropped for their IP destination: not 224.0.0.1, 224.0.0.2, 224.0.0.22 or the group;"
                    + " or a general query sent to a unicast address (RFC 9776 sections 4.1.12, 4.2.14, 9.1)"),
    REPORT_OFF_SUBNET(
            "igmp_input_report_off_subnet_dropped",
            "Reports and leaves dropped for a source outside the interface's subnets and altnets, other than"
                    + " 0.0.0.0 (RFC 9776 section 9.2)"),
    QUERY_OFF_SUBNET(
            "igmp_input_query_off_subnet_dropped",
            "Queries dropped for a source outside the interface's subnets, other than 0.0.0.0: they never win the"
                    + " querier election (RFC 9776 section 9.1)"),
    UNRECOGNIZED_RECORDS(
            "igmp_input_unrecognized_records_skipped",
            "Group records of an unrecognized type skipped in IGMPv3 reports whose other records were applied"
                    + " (RFC 9776 section 4.2.13)");

    static final IgmpInputCounter[] VALUES = values();

    private final CounterSpec spec;

    IgmpInputCounter(String metric, String help) {
        this.spec = new CounterSpec(metric, help, List.of("interface"));
    }

    @Override
    public CounterSpec spec() {
        return spec;
    }
}
