package dev.mcgate.igmp;

import dev.mcgate.counters.Counter;
import dev.mcgate.counters.CounterSpec;
import java.util.List;

/** What a downstream's IGMP router ignored or noticed, per interface. */
public enum RouterCounter implements Counter {
    ZERO_SOURCE_QUERIES(
            "router_zero_source_queries_ignored",
            "Queries from 0.0.0.0 ignored (a snooping switch's: never a querier, RFC 3376 section 6.6.2)"),
    V1_QUERIES_HEARD(
            "router_v1_queries_heard",
            "IGMPv1 queries heard on a downstream configured for a later version (RFC 3376 section 7.3.1)"),
    V2_QUERIES_HEARD(
            "router_v2_queries_heard",
            "IGMPv2 queries heard on a downstream configured for IGMPv3 (RFC 3376 section 7.3.1)"),
    RECORDS_IGNORED_V1_MODE(
            "router_records_ignored_v1_mode",
            "Group records ignored in IGMPv1 compatibility mode (RFC 3376 section 7.3.2)"),
    RECORDS_IGNORED_V2_MODE(
            "router_records_ignored_v2_mode",
            "Group records ignored in IGMPv2 compatibility mode (RFC 3376 section 7.3.2)"),
    QUERIER_TAKEOVERS(
            "router_querier_takeovers",
            "Times another router took over as querier (this one stops querying and forwarding to the LAN until it"
                    + " times out)"),
    FAST_LEAVES("router_fast_leaves", "Groups pruned at once when their last member left (fast leave)"),
    NON_ROUTABLE_REPORTS(
            "router_non_routable_reports_ignored",
            "Records for a group that is not multicast or is link-local (224.0.0.0/24), ignored"),
    SSM_EXCLUDE_RECORDS(
            "router_ssm_exclude_records_ignored",
            "EXCLUDE-mode records for an SSM group ignored (RFC 4604 section 2.2.4)"),
    GROUPS_OVER_LIMIT(
            "router_records_over_max_groups",
            "Records for a new group dropped because the interface holds max-groups groups"),
    SOURCES_OVER_LIMIT(
            "router_records_over_max_sources",
            "Records dropped because they would take a group past max-sources sources"),
    HOSTS_OVER_LIMIT(
            "router_hosts_over_max_hosts",
            "Reports from a host not tracked because its group tracks max-hosts hosts (the record still applies; "
                    + "the group leaves by last-member queries, not fast leave)");

    static final RouterCounter[] VALUES = values();

    private final CounterSpec spec;

    RouterCounter(String metric, String help) {
        this.spec = new CounterSpec(metric, help, List.of("interface", "protocol"));
    }

    @Override
    public CounterSpec spec() {
        return spec;
    }
}
