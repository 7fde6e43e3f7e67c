package dev.mcgate.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mcgate.net.Ip4;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LogMembershipProbeTest {

    // Lines as mcgate logs them (slf4j-simple: [thread] LEVEL logger - message).
    private static final List<String> LOG = List.of(
            "[main] INFO dev.mcgate.cli.RunCommand - running; stop with SIGTERM",
            "[mcgate-loop] INFO dev.mcgate.daemon.MembershipLog - down1: group 239.1.1.1 EX{} (was IN{})",
            "[mcgate-loop] INFO dev.mcgate.daemon.MembershipLog - down1: group 239.1.1.2 EX{} (was IN{})",
            "[mcgate-loop] INFO dev.mcgate.daemon.MembershipLog - down2: group 239.1.1.3 EX{} (was IN{})",
            "[mcgate-loop] INFO dev.mcgate.daemon.MembershipLog - down1: group 232.1.1.1 IN{192.0.2.10} (was IN{})",
            "[mcgate-loop] INFO dev.mcgate.daemon.MembershipLog - down1: group 239.1.1.2 IN{} (was EX{})",
            "[mcgate-loop] INFO dev.mcgate.proxy.Upstream - upstream up0: joining 239.1.1.1 EX{}");

    @Test
    void replaysTheLastStateOfEachGroupOnTheDownstream() {
        assertEquals(Set.of(Ip4.parse("239.1.1.1"), Ip4.parse("232.1.1.1")),
                LogMembershipProbe.joinedGroups(LOG, "down1"));
        assertEquals(Set.of(Ip4.parse("239.1.1.3")), LogMembershipProbe.joinedGroups(LOG, "down2"));
        assertEquals(Set.of(), LogMembershipProbe.joinedGroups(LOG, "down3"));
    }
}
