package dev.mcgate.daemon;

import dev.mcgate.counters.Counter;
import java.util.List;

/** What the nft packet I/O engine counts (packet-io nft). */
public enum EngineCounter implements Counter {
    NFT_TRANSACTIONS("nft_transactions", "nft transactions committed (packet-io nft)"),
    NFT_REFUSALS("nft_refusals", "nft transactions the kernel refused (packet-io nft)");

    private final String metric;
    private final String help;

    EngineCounter(String metric, String help) {
        this.metric = metric;
        this.help = help;
    }

    @Override
    public String metric() {
        return metric;
    }

    @Override
    public String help() {
        return help;
    }

    @Override
    public List<String> labelNames() {
        return List.of();
    }
}
