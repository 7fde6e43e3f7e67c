package dev.mcgate.io.nft;

import dev.mcgate.io.NetInterface;
import dev.mcgate.packet.LinkType;
import java.util.Optional;

/**
 * Whether the kernel fast path can run here, and on which interfaces: pure decisions from what was found (the nft
 * binary, the probe's answer, an interface's link type), so each reason an operator may read is unit-tested.
 */
public final class NftAvailability {

    private NftAvailability() {}

    /**
     * Empty if the engine can run, else why not, in words for the one log line and for status.
     *
     * @param binaryFound whether an nft binary was found
     * @param probeError  nft's refusal of the probe transaction; empty if it loaded
     */
    public static Optional<String> engineRefusal(boolean binaryFound, Optional<String> probeError) {
        if (!binaryFound) {
            return Optional.of("no nft binary (apt-get install nftables)");
        }
        if (probeError.isEmpty()) {
            return Optional.empty();
        }
        String e = probeError.get();
        if (e.contains("Operation not supported") || e.contains("not supported")) {
            return Optional.of("the kernel refuses nftables netdev rules with dup/fwd (CONFIG_NF_TABLES_NETDEV, "
                    + "CONFIG_NF_DUP_NETDEV, CONFIG_NFT_FWD_NETDEV): " + e);
        }
        if (e.contains("Operation not permitted") || e.contains("Permission denied")) {
            return Optional.of("not permitted to load nftables rules (needs CAP_NET_ADMIN): " + e);
        }
        return Optional.of("nft refused the netdev dup/fwd probe: " + e);
    }

    /**
     * Empty if the kernel can forward to and from the interface, else why not. nft netdev rules here rewrite an
     * Ethernet header; a raw-IP interface (tun, GRE, WireGuard) has none, and a name nft cannot quote is refused.
     */
    public static Optional<String> interfaceRefusal(NetInterface nif, LinkType linkType) {
        if (linkType != LinkType.ETHERNET || nif.mac().isEmpty()) {
            return Optional.of("not Ethernet (" + (linkType == LinkType.ETHERNET ? "no MAC" : "raw IP") + ")");
        }
        if (!nif.name().matches("[A-Za-z0-9._@:-]+")) {
            return Optional.of("a name nft cannot quote");
        }
        return Optional.empty();
    }
}
