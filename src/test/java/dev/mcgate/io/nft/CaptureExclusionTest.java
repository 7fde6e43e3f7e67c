package dev.mcgate.io.nft;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mcgate.forward.KernelRoute;
import dev.mcgate.forward.OffloadPlan;
import dev.mcgate.net.Ip4;
import dev.mcgate.net.Ip4Prefix;
import dev.mcgate.net.MacAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The capture leaves out exactly what the kernel forwards, or nothing when that is too long to say. */
class CaptureExclusionTest {

    private static final KernelRoute.Egress LAN1 =
            new KernelRoute.Egress("lan1", MacAddress.parse("02:00:00:00:01:01"), 1);
    private static final Ip4 G1 = Ip4.parse("239.1.1.1");
    private static final Ip4 G2 = Ip4.parse("239.2.2.2");
    private static final Ip4 S1 = Ip4.parse("192.0.2.77");

    @Test
    void starGRoutesWithTheirExceptionsAndTheHandedBackNetworks() {
        OffloadPlan plan = new OffloadPlan(
                List.of(
                        new KernelRoute("wan0", G1, Optional.of(S1), List.of()),
                        new KernelRoute("wan0", G1, Optional.empty(), List.of(LAN1)),
                        new KernelRoute("wan0", G2, Optional.of(S1), List.of(LAN1))),
                Map.of("wan0", List.of(Ip4Prefix.parse("10.1.1.0/24"))),
                Map.of());
        assertEquals(
                Optional.of("(not (src net 10.1.1.0/24) and ((dst host 239.1.1.1 and not (src host 192.0.2.77)) "
                        + "or (dst host 239.2.2.2 and src host 192.0.2.77)))"),
                CaptureExclusion.of(plan, "wan0"));
        assertEquals(Optional.empty(), CaptureExclusion.of(plan, "wan1"));
    }

    @Test
    void tooManyRoutesLeaveTheCaptureWide() {
        List<KernelRoute> routes = new ArrayList<>();
        for (int i = 0; i <= CaptureExclusion.MAX_ROUTES; i++) {
            routes.add(new KernelRoute(
                    "wan0", new Ip4(Ip4.parse("239.3.0.0").bits() + i), Optional.empty(), List.of(LAN1)));
        }
        assertEquals(Optional.empty(), CaptureExclusion.of(new OffloadPlan(routes, Map.of(), Map.of()), "wan0"));
    }
}
