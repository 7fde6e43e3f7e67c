package dev.mcgate.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcgate.forward.KernelRoute;
import dev.mcgate.forward.OffloadCover;
import dev.mcgate.forward.OffloadPlan;
import dev.mcgate.io.nft.NftCommand;
import dev.mcgate.io.nft.NftRunner;
import dev.mcgate.net.Ip4;
import dev.mcgate.net.MacAddress;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import org.junit.jupiter.api.Test;

/**
 * The handover between the kernel and the user-space forwarder: the forwarder leaves a flow alone from the moment it
 * is wanted in the kernel until the kernel has let go of it, so no packet goes out twice. Transactions run by hand.
 */
class KernelFastPathTest {

    private static final Ip4 G = Ip4.parse("239.1.1.1");
    private static final Ip4 S = Ip4.parse("100.64.1.1");
    private static final OffloadPlan WITH_G = new OffloadPlan(
            List.of(new KernelRoute(
                    "up0",
                    G,
                    Optional.empty(),
                    List.of(new KernelRoute.Egress("down1", MacAddress.parse("02:00:00:00:00:02"), 1)))),
            Map.of(),
            Map.of());

    /** Records each transaction; refuses the next {@code refuse} of them. */
    private static final class FakeNft implements NftRunner {
        final List<String> applied = new ArrayList<>();
        int refuse;
        int removals;

        @Override
        public void apply(String script) throws IOException {
            if (refuse > 0) {
                refuse--;
                throw new NftCommand.NftException("Error: Could not process rule: Operation not supported");
            }
            applied.add(script);
        }

        @Override
        public void removeTable() {
            removals++;
        }

        @Override
        public String listCounters() {
            return "";
        }
    }

    private final FakeNft nft = new FakeNft();
    private final Queue<Runnable> queued = new ArrayDeque<>();
    private final KernelFastPath fastPath = new KernelFastPath(nft, queued::add);
    private int republished;

    KernelFastPathTest() {
        fastPath.afterTransaction(() -> republished++);
    }

    private static boolean coverHas(OffloadCover cover) {
        return cover.covers("up0", S, G);
    }

    private void runQueued() {
        while (!queued.isEmpty()) {
            queued.poll().run();
        }
    }

    @Test
    void aNewRouteIsLeftToTheKernelBeforeItsTransactionRuns() {
        assertTrue(coverHas(fastPath.desire(WITH_G)), "user space stops at once: nobody forwards until the commit");
        assertEquals(List.of(), nft.applied);
        runQueued();
        assertEquals(1, nft.applied.size());
        assertTrue(nft.applied.get(0).contains("ip daddr vmap { 239.1.1.1 : goto r_239_1_1_1_any_up0 }"));
        assertEquals(WITH_G, fastPath.installed());
        assertEquals(Optional.of(WITH_G), fastPath.steadyPlan());
        assertEquals(1, republished);
    }

    @Test
    void aRouteTheKernelGivesBackStaysSkippedUntilTheKernelHasLetGo() {
        fastPath.desire(WITH_G);
        runQueued();
        assertTrue(coverHas(fastPath.desire(OffloadPlan.EMPTY)), "the kernel still forwards it: user space must not");
        assertEquals(Optional.empty(), fastPath.steadyPlan(), "a change under way: captures stay wide");
        runQueued();
        assertFalse(coverHas(fastPath.cover()), "the kernel let go: user space forwards from now on");
        assertTrue(nft.applied.get(1).contains("delete chain netdev mcgate r_239_1_1_1_any_up0"));
        assertEquals(2, republished);
    }

    @Test
    void changesQueuedMeanwhileMakeOneTransaction() {
        fastPath.desire(WITH_G);
        fastPath.desire(OffloadPlan.EMPTY);
        fastPath.desire(WITH_G);
        runQueued();
        assertEquals(1, nft.applied.size());
    }

    @Test
    void aRefusalIsRetriedFromScratchOnce() {
        nft.refuse = 1;
        fastPath.desire(WITH_G);
        runQueued();
        assertEquals(1, nft.applied.size());
        assertTrue(nft.applied.get(0).startsWith("# mcgate: 1 kernel routes\nadd table netdev mcgate\ndelete table"));
        assertNull(fastPath.fallbackReason());
        assertEquals(1, fastPath.refusals());
    }

    @Test
    void twoRefusalsFallBackToUserSpaceAndRemoveTheTable() {
        nft.refuse = 2;
        fastPath.desire(WITH_G);
        runQueued();
        assertEquals(
                "nft refused a transaction: Error: Could not process rule: Operation not supported",
                fastPath.fallbackReason());
        assertFalse(coverHas(fastPath.cover()), "user space forwards everything again");
        assertFalse(coverHas(fastPath.desire(WITH_G)), "and keeps doing so");
        assertEquals(1, nft.removals);
        assertEquals(1, republished);
    }
}
