/**
 * The nft engine's kernel side: {@link dev.mcgate.io.nft.NftRuleset} turns an offload plan into one nft transaction
 * (a pure function, golden-tested), {@link dev.mcgate.io.nft.NftCounters} reads the rules' counters from
 * {@code nft -j} output, and {@link dev.mcgate.io.nft.NftCommand} is the only class here that runs {@code nft}.
 *
 * <p>Threads: NftCommand blocks for the length of an nft run; its callers keep it off the loop and the capture
 * threads. Everything else is immutable.
 */
package dev.mcgate.io.nft;
