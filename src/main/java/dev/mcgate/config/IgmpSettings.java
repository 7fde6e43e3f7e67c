package dev.mcgate.config;

import java.time.Duration;
import java.util.Objects;

/**
 * The IGMP or MLD router parameters of one interface (RFC 3376 §8, RFC 9777 §9: the same variables), with the intervals derived from them, and how much of
 * another querier's parameters it adopts ({@link QuerierAdoption}).
 *
 * <p>Range checks are done by the parser, which can name the line; this record only refuses nulls.
 */
public record IgmpSettings(
        int version,
        int robustness,
        Duration queryInterval,
        Duration queryResponseInterval,
        Duration lastMemberQueryInterval,
        int lastMemberQueryCount,
        Duration startupQueryInterval,
        int startupQueryCount,
        QuerierAdoption adoption) {

    /** RFC 3376 §8.1: Robustness Variable default. */
    public static final int DEFAULT_ROBUSTNESS = 2;
    /** RFC 3376 §8.2: Query Interval default. */
    public static final Duration DEFAULT_QUERY_INTERVAL = Duration.ofSeconds(125);
    /** RFC 3376 §8.3: Query Response Interval default. */
    public static final Duration DEFAULT_QUERY_RESPONSE_INTERVAL = Duration.ofSeconds(10);
    /** RFC 3376 §8.8: Last Member Query Interval default. */
    public static final Duration DEFAULT_LAST_MEMBER_QUERY_INTERVAL = Duration.ofSeconds(1);

    /** Everything at the RFC 3376 defaults, for IGMPv3. */
    public static final IgmpSettings RFC_DEFAULTS = new IgmpSettings(
            3,
            DEFAULT_ROBUSTNESS,
            DEFAULT_QUERY_INTERVAL,
            DEFAULT_QUERY_RESPONSE_INTERVAL,
            DEFAULT_LAST_MEMBER_QUERY_INTERVAL,
            DEFAULT_ROBUSTNESS,
            defaultStartupQueryInterval(DEFAULT_QUERY_INTERVAL),
            DEFAULT_ROBUSTNESS,
            QuerierAdoption.DEFAULTS);

    /** The generation (numbered as IGMP's) of MLDv1, RFC 2710. */
    public static final int MLDV1 = 2;
    /** The generation (numbered as IGMP's) of MLDv2, RFC 9777. */
    public static final int MLDV2 = 3;

    /** Everything at the RFC 9777 §9 defaults (the same values as RFC 3376's), for MLDv2. */
    public static final IgmpSettings MLD_DEFAULTS = RFC_DEFAULTS.withVersion(MLDV2);

    public IgmpSettings {
        Objects.requireNonNull(queryInterval, "queryInterval");
        Objects.requireNonNull(queryResponseInterval, "queryResponseInterval");
        Objects.requireNonNull(lastMemberQueryInterval, "lastMemberQueryInterval");
        Objects.requireNonNull(startupQueryInterval, "startupQueryInterval");
        Objects.requireNonNull(adoption, "adoption");
    }

    /** The same parameters for another version (generation). */
    public IgmpSettings withVersion(int generation) {
        return new IgmpSettings(
                generation,
                robustness,
                queryInterval,
                queryResponseInterval,
                lastMemberQueryInterval,
                lastMemberQueryCount,
                startupQueryInterval,
                startupQueryCount,
                adoption);
    }

    /** RFC 3376 §8.6: Startup Query Interval default, 1/4 of the Query Interval (whole milliseconds). */
    public static Duration defaultStartupQueryInterval(Duration queryInterval) {
        return Duration.ofMillis(queryInterval.toMillis() / 4);
    }

    /** RFC 3376 §8.4: Group Membership Interval = RV × QI + QRI. */
    public Duration groupMembershipInterval() {
        return queryInterval.multipliedBy(robustness).plus(queryResponseInterval);
    }

    /** RFC 3376 §8.5: Other Querier Present Interval = RV × QI + QRI / 2. */
    public Duration otherQuerierPresentInterval() {
        return queryInterval.multipliedBy(robustness).plus(queryResponseInterval.dividedBy(2));
    }

    /** RFC 3376 §8.10: Last Member Query Time = LMQI × LMQC. */
    public Duration lastMemberQueryTime() {
        return lastMemberQueryInterval.multipliedBy(lastMemberQueryCount);
    }

    /** RFC 3376 §8.13: Older Host Present Interval = RV × QI + QRI. */
    public Duration olderHostPresentInterval() {
        return groupMembershipInterval();
    }
}
