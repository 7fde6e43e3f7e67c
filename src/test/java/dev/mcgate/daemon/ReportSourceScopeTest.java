package dev.mcgate.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mcgate.igmp.RouterSnapshot;
import dev.mcgate.net.Ip4;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole daemon: reports are taken from a downstream's subnet and its configured altnets only, as the registry
 * publishes them to the capture threads, and a reload that removes an altnet takes it out of the rule at once.
 */
class ReportSourceScopeTest {

    private static final Ip4 ON_SUBNET = Ip4.parse("198.51.100.10");
    private static final Ip4 IN_ALTNET = Ip4.parse("10.9.1.5");
    private static final Ip4 ELSEWHERE = Ip4.parse("10.8.0.1");

    @TempDir
    Path dir;

    private static String config(String down1) {
        return """
                interface up0 {
                    role upstream
                }
                interface down1 {
                    role downstream
                %s
                }
                """.formatted(down1);
    }

    @Test
    void reportsComeFromTheSubnetOrAnAltnetAndTheAltnetFollowsAReload() throws Exception {
        try (DaemonHarness h = new DaemonHarness(dir.resolve("m.conf"), config("altnet 10.9.0.0/16"))) {
            h.join("lan1", ON_SUBNET, Ip4.parse("239.1.1.1"));
            h.join("lan1", IN_ALTNET, Ip4.parse("239.1.1.2"));
            h.join("lan1", ELSEWHERE, Ip4.parse("239.1.1.3"));

            assertEquals(List.of("239.1.1.1", "239.1.1.2"), groups(h));
            assertEquals(1, h.interfaces.intake().count("down1", IgmpInputCounter.REPORT_OFF_SUBNET));

            h.rewrite(config(""));
            h.reload.reload();
            h.settle();
            h.join("lan1", IN_ALTNET, Ip4.parse("239.1.1.4"));

            assertEquals(List.of("239.1.1.1", "239.1.1.2"), groups(h));
            assertEquals(2, h.interfaces.intake().count("down1", IgmpInputCounter.REPORT_OFF_SUBNET));
        }
    }

    private static List<String> groups(DaemonHarness h) {
        return h.interfaces.routerSnapshots().stream()
                .filter(r -> r.interfaceName().equals("down1"))
                .flatMap(r -> r.groups().stream())
                .map(RouterSnapshot.Group::group)
                .map(Object::toString)
                .toList();
    }
}
