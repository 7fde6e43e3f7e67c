package dev.mcgate.host;

import dev.mcgate.config.IgmpSettings;
import dev.mcgate.config.QuerierAdoption;
import java.time.Duration;
import java.util.Objects;

/**
 * The parameters of the host side on one upstream (RFC 3376 §8): what it starts with until the upstream querier tells
 * it otherwise (QRV and QQIC of IGMPv3 queries are adopted when non-zero).
 *
 * @param highestVersion             the newest IGMP version spoken upstream (3; 2 or 1 force an older one, as Linux's
 *                                   force_igmp_version does)
 * @param robustness                 Robustness Variable: State-Change Reports are sent this many times in all
 * @param queryInterval              the querier's Query Interval, for the Older Version Querier Present Timeout
 * @param unsolicitedReportInterval  IGMPv3 retransmission interval (RFC 3376 §8.11: 1 s)
 * @param olderUnsolicitedReportInterval IGMPv1/v2 repetition interval (RFC 2236 §8.10: 10 s)
 * @param adoption                   how much of the upstream querier's QRV and QQIC is adopted at most
 */
public record HostSettings(
        int highestVersion,
        int robustness,
        Duration queryInterval,
        Duration unsolicitedReportInterval,
        Duration olderUnsolicitedReportInterval,
        QuerierAdoption adoption) {

    public static final Duration V3_UNSOLICITED_REPORT_INTERVAL = Duration.ofSeconds(1);
    public static final Duration V2_UNSOLICITED_REPORT_INTERVAL = Duration.ofSeconds(10);

    public static final HostSettings DEFAULTS = new HostSettings(
            3,
            IgmpSettings.DEFAULT_ROBUSTNESS,
            IgmpSettings.DEFAULT_QUERY_INTERVAL,
            V3_UNSOLICITED_REPORT_INTERVAL,
            V2_UNSOLICITED_REPORT_INTERVAL,
            QuerierAdoption.DEFAULTS);

    public HostSettings {
        Objects.requireNonNull(adoption, "adoption");
        Objects.requireNonNull(queryInterval, "queryInterval");
        Objects.requireNonNull(unsolicitedReportInterval, "unsolicitedReportInterval");
        Objects.requireNonNull(olderUnsolicitedReportInterval, "olderUnsolicitedReportInterval");
        if (robustness < 1) {
            throw new IllegalArgumentException("robustness must be at least 1: " + robustness);
        }
    }

    /** From an upstream interface's IGMP settings: its version, robustness, query interval and adoption caps. */
    public static HostSettings from(IgmpSettings igmp) {
        return new HostSettings(
                igmp.version(),
                igmp.robustness(),
                igmp.queryInterval(),
                V3_UNSOLICITED_REPORT_INTERVAL,
                V2_UNSOLICITED_REPORT_INTERVAL,
                igmp.adoption());
    }
}
