package dev.mcgate.io.linux;

/**
 * The Linux capabilities mcgate deals with (linux/capability.h numbers), and what each one is for here.
 */
public enum Capability {
    /**
     * 12: neither kept nor granted. Only packet-io nft's nft binary needs it (that engine falls back to pcap); the
     * MRT_INIT probe and SO_RCVBUFFORCE have fallbacks without it.
     */
    NET_ADMIN(12, "loading nftables rules (packet-io nft)"),
    /** 13: AF_PACKET sockets: every capture and injection, and the sockets that hold multicast MAC filters. */
    NET_RAW(13, "packet sockets for capture, injection and multicast MAC filters");

    private final int number;
    private final String purpose;

    Capability(int number, String purpose) {
        this.number = number;
        this.purpose = purpose;
    }

    public int number() {
        return number;
    }

    public long bit() {
        return 1L << number;
    }

    /** What mcgate needs it for, for messages. */
    public String purpose() {
        return purpose;
    }

    /** The name systemd and capabilities(7) use: CAP_NET_RAW. */
    public String capName() {
        return "CAP_" + name();
    }
}
