package dev.mcgate.io.linux;

/**
 * The Linux capabilities mcgate deals with (linux/capability.h numbers), and what each one is for here.
 */
public enum Capability {
    /** 12: nothing mcgate does today needs it (measured); granted for the tunnels of issue 8 (creating links). */
    NET_ADMIN(12, "configuring network links (tunnels)"),
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
