package dev.mcgate.daemon;

import dev.mcgate.counters.Counter;
import dev.mcgate.counters.CounterSpec;
import java.util.List;

/** What the nft packet I/O engine counts (packet-io nft). */
public enum EngineCounter implements Counter {
    NFT_TRANSACTIONS("nft_transactions", "nft transactions committed (packet-io nft)"),
    NFT_REFUSALS("nft_refusals", "nft transactions the kernel refused (packet-io nft)");

    private final CounterSpec spec;

    EngineCounter(String metric, String help) {
        this.spec = new CounterSpec(metric, help, List.of());
    }

    @Override
    public CounterSpec spec() {
        return spec;
    }
}
