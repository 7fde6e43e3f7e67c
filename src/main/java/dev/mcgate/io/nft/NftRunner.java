package dev.mcgate.io.nft;

import java.io.IOException;

/** What the nft engine asks of nft: {@link NftCommand} on a real system, a recording fake in unit tests. */
public interface NftRunner {

    /** Runs one transaction: all of it or, if the kernel refuses any line, none of it. */
    void apply(String script) throws IOException;

    /** Removes mcgate's table, whether or not it is there. */
    void removeTable() throws IOException;

    /** {@code nft -j list counters table netdev mcgate}. */
    String listCounters() throws IOException;
}
