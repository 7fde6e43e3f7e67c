package dev.mcgate.config;

import java.util.Locale;

/**
 * Where the af-xdp engine's XDP program runs ({@code xdp-mode}): the driver's own hook, the kernel's generic one, or
 * the driver's where it has one.
 */
public enum XdpMode {
    /** Native where the driver has it, else generic: the default. */
    AUTO,
    /** The driver's hook, before a socket buffer is built; refused by drivers without XDP support. */
    NATIVE,
    /**
     * The kernel's generic hook, after the socket buffer is built and receive packet steering has picked the CPU:
     * every driver has it, and the program runs on the CPU that would have taken the frame into the IP stack.
     */
    GENERIC;

    /** The keyword used in configuration files: auto, native, generic. */
    public String keyword() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The mode named {@code keyword}, or null. */
    public static XdpMode fromKeyword(String keyword) {
        for (XdpMode m : values()) {
            if (m.keyword().equals(keyword)) {
                return m;
            }
        }
        return null;
    }
}
