package dev.mcgate.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.slf4j.event.Level;

/** Per-logger thresholds given as -Dmcgate.log.LOGGER=LEVEL. */
class LogOverridesTest {

    @Test
    void onlyMcgateLogPropertiesWithALevelAreTaken() {
        Properties p = new Properties();
        p.setProperty("mcgate.log.dev.mcgate.daemon.MembershipLog", "debug");
        p.setProperty("mcgate.log.dev.mcgate.forward", " WARN ");
        p.setProperty("mcgate.log.dev.mcgate.igmp", "loud");
        p.setProperty("mcgate.log.", "debug");
        p.setProperty("other.dev.mcgate", "trace");
        assertEquals(
                Map.of("dev.mcgate.daemon.MembershipLog", Level.DEBUG, "dev.mcgate.forward", Level.WARN),
                Logging.overrides(p));
    }

    @Test
    void theLongestMatchingNameWins() {
        Map<String, Level> o = Map.of("dev.mcgate", Level.WARN, "dev.mcgate.daemon.MembershipLog", Level.TRACE);
        assertEquals(Optional.of(Level.TRACE), Logging.override(o, "dev.mcgate.daemon.MembershipLog"));
        assertEquals(Optional.of(Level.WARN), Logging.override(o, "dev.mcgate.daemon.Daemon"));
        assertEquals(Optional.empty(), Logging.override(o, "org.pcap4j.core.PcapHandle"));
    }
}
