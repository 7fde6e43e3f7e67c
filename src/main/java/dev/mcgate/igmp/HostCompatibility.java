package dev.mcgate.igmp;

import dev.mcgate.net.SourceSet;
import dev.mcgate.packet.RecordType;
import dev.mcgate.time.Scheduler;
import java.time.Duration;
import java.util.Optional;

/**
 * The Group Compatibility Mode of one group record (RFC 3376 §7.3.2): the IGMPv1 and IGMPv2 Host Present timers, and
 * how records are read while older hosts are present.
 *
 * <pre>
 * Group Compatibility Mode   Timer State
 * IGMPv3 (default)           IGMPv2 and IGMPv1 Host Present not running
 * IGMPv2                     IGMPv2 Host Present running and IGMPv1 Host Present not running
 * IGMPv1                     IGMPv1 Host Present running
 * </pre>
 */
final class HostCompatibility {

    /** A record after translation: what the group state machine is fed. */
    record Translated(RecordType type, SourceSet sources) {}

    private final RfcTimer v1HostPresent;
    private final RfcTimer v2HostPresent;

    HostCompatibility(Scheduler scheduler) {
        // Expiry needs no action: the mode is read from the timers whenever it is needed.
        this.v1HostPresent = new RfcTimer(scheduler, () -> {});
        this.v2HostPresent = new RfcTimer(scheduler, () -> {});
    }

    /** "set to Older Version Host Present Timeout whenever an IGMPv1 Membership Report is received". */
    void v1ReportHeard(Duration olderHostPresentInterval) {
        v1HostPresent.set(olderHostPresentInterval);
    }

    /** "set to Older Version Host Present Timeout whenever an IGMPv2 Membership Report is received". */
    void v2ReportHeard(Duration olderHostPresentInterval) {
        v2HostPresent.set(olderHostPresentInterval);
    }

    /** 1, 2 or 3, from the host present timers alone. */
    int hostMode() {
        return v1HostPresent.isRunning() ? 1 : v2HostPresent.isRunning() ? 2 : 3;
    }

    Duration v1HostPresentRemaining() {
        return v1HostPresent.remaining();
    }

    Duration v2HostPresentRemaining() {
        return v2HostPresent.remaining();
    }

    void stop() {
        v1HostPresent.stop();
        v2HostPresent.stop();
    }

    /**
     * How a record is read in a compatibility mode (RFC 3376 §7.3.2). IGMPv2 mode: "IGMPv3 BLOCK messages are ignored,
     * as are source-lists in TO_EX() messages (i.e., any TO_EX() message is treated as TO_EX( {} ))". IGMPv1 mode: the
     * same, and "IGMPv2 Leave messages and IGMPv3 TO_IN() messages are also ignored". Leaves arrive here as TO_IN{}.
     */
    static Optional<Translated> translate(int mode, RecordType type, SourceSet sources) {
        if (mode >= 3) {
            return Optional.of(new Translated(type, sources));
        }
        return switch (type) {
            case BLOCK_OLD_SOURCES -> Optional.empty();
            case CHANGE_TO_EXCLUDE_MODE -> Optional.of(new Translated(type, SourceSet.EMPTY));
            case CHANGE_TO_INCLUDE_MODE -> mode == 1 ? Optional.empty() : Optional.of(new Translated(type, sources));
            default -> Optional.of(new Translated(type, sources));
        };
    }
}
