package dev.mcgate.host;

import dev.mcgate.net.FilterMode;
import dev.mcgate.net.IpAddress;
import dev.mcgate.net.SourceSet;
import dev.mcgate.net.Subscription;
import dev.mcgate.packet.RecordType;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The retransmission state of one group's State-Change Reports (RFC 3376 §5.1): a filter-mode-change counter and a
 * counter per source, so that successive changes merge into reports consistent with the latest state.
 *
 * <ul>
 *   <li>A filter-mode change sets the counter to Robustness: the next Robustness reports carry TO_IN / TO_EX with the
 *       current state, whatever source-list changes happen meanwhile.</li>
 *   <li>A source-list change sets each changed source's counter to Robustness. Once no filter-mode change is pending,
 *       each report carries ALLOW (sources with a counter that the current state wants) and BLOCK (the others), and
 *       every counter drops by one.</li>
 *   <li>On a filter-mode change the per-source counters are cleared (as Linux does): the TO_IN / TO_EX record states
 *       the whole new state, so they have nothing left to say. Source changes after it still count.</li>
 * </ul>
 * Not thread-safe: the loop thread owns it.
 */
final class RetransmissionState {

    private int filterModeChanges;
    private final Map<IpAddress, Integer> sourceCounters = new TreeMap<>();

    /** Records a change of the group's state; the next report will carry it. */
    void changed(Subscription old, Subscription now, int robustness) {
        if (old.mode() != now.mode()) {
            filterModeChanges = robustness;
            sourceCounters.clear();
            return;
        }
        for (IpAddress s : old.sources().difference(now.sources())) {
            sourceCounters.put(s, robustness);
        }
        for (IpAddress s : now.sources().difference(old.sources())) {
            sourceCounters.put(s, robustness);
        }
    }

    /** The records of the next State-Change Report for the group, counting that report as sent. */
    List<HostRecord> nextRecords(IpAddress group, Subscription current) {
        List<HostRecord> out = new ArrayList<>(2);
        if (filterModeChanges > 0) {
            filterModeChanges--;
            // TO_IN: all in the current state that must be forwarded; TO_EX: all that must be blocked.
            RecordType type = current.mode() == FilterMode.INCLUDE
                    ? RecordType.CHANGE_TO_INCLUDE_MODE
                    : RecordType.CHANGE_TO_EXCLUDE_MODE;
            out.add(new HostRecord(type, group, current.sources()));
            return out;
        }
        List<IpAddress> allow = new ArrayList<>();
        List<IpAddress> block = new ArrayList<>();
        for (Iterator<Map.Entry<IpAddress, Integer>> it =
                        sourceCounters.entrySet().iterator();
                it.hasNext(); ) {
            Map.Entry<IpAddress, Integer> e = it.next();
            // ALLOW: all with retransmission state that must be forwarded; BLOCK: all that must be blocked.
            (current.wants(e.getKey()) ? allow : block).add(e.getKey());
            if (e.getValue() <= 1) {
                it.remove();
            } else {
                e.setValue(e.getValue() - 1);
            }
        }
        if (!allow.isEmpty()) {
            out.add(new HostRecord(RecordType.ALLOW_NEW_SOURCES, group, SourceSet.of(allow)));
        }
        if (!block.isEmpty()) {
            out.add(new HostRecord(RecordType.BLOCK_OLD_SOURCES, group, SourceSet.of(block)));
        }
        return out;
    }

    /** True while a report is still due. */
    boolean isPending() {
        return filterModeChanges > 0 || !sourceCounters.isEmpty();
    }

    int filterModeChanges() {
        return filterModeChanges;
    }

    int sourceCounter(IpAddress source) {
        return sourceCounters.getOrDefault(source, 0);
    }
}
