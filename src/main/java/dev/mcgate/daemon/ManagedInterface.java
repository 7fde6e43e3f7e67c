package dev.mcgate.daemon;

import dev.mcgate.config.InterfaceConfig;
import dev.mcgate.io.InterfacePort;
import dev.mcgate.io.linux.MulticastFilter;
import java.util.Optional;

/**
 * One wanted interface and everything mcgate has on it: its configuration, where it is in its life, and while it is
 * open its port, multicast filter and IGMP side. Owned by the loop: only {@link InterfaceRegistry} changes it.
 */
final class ManagedInterface {

    /** Where an interface is in its life, as status shows it. */
    enum Lifecycle {
        /** The system has no interface of that name (yet). */
        PENDING("pending", "pending"),
        /** Administratively down, or it lost the carrier it had. */
        DOWN("down", "down"),
        /** It lost the IPv4 address it had. */
        NO_ADDRESS("no-address", "no address"),
        /** Usable; its port is being opened on the I/O executor. */
        OPENING("opening", "opening"),
        /** Its port is open and its IGMP side at work. */
        OPEN("open", "open"),
        /** Usable, but the last open failed (the log says why); tried again at its next change. */
        FAILED("failed", "present but not open (see log)");

        private final String keyword;
        private final String note;

        Lifecycle(String keyword, String note) {
            this.keyword = keyword;
            this.note = note;
        }

        /** As {@code status} shows it. */
        String keyword() {
            return keyword;
        }

        String note() {
            return note;
        }
    }

    /** A port and the multicast filter opened with it, closed together. */
    record OpenedPort(InterfacePort port, Optional<MulticastFilter> filter) {
        void close() {
            try {
                filter.ifPresent(MulticastFilter::close);
            } finally {
                port.close();
            }
        }
    }

    final String name;
    InterfaceConfig config;
    Lifecycle state = Lifecycle.PENDING;
    /** Counts open attempts: the result of an attempt that is no longer the latest is stale and is closed. */
    long attempt;
    /** While OPEN: the port and its filter. */
    OpenedPort opened;
    /**
     * While OPEN: the IPv4 side, an IGMP router on a downstream or the proxy's host side on an upstream. An MLD side
     * (IPv6) goes beside it, on the same port.
     */
    IgmpRouting.Side ipv4;
    /** While OPEN and the interface runs MLD: the IPv6 side, an MLD router on a downstream. */
    MldRouting.Side ipv6;
    /** While OPEN: when the port opened (loop time), for how long a port whose capture stopped had captured. */
    long openedAtNanos;
    /** Its capture stopped and it is being opened again: an open that fails meanwhile is tried again too. */
    boolean reopening;
    /** The waits between those opens. */
    final ReopenBackoff backoff = new ReopenBackoff();

    ManagedInterface(InterfaceConfig config) {
        this.name = config.name();
        this.config = config;
    }

    boolean isOpenOn(InterfacePort port) {
        return opened != null && opened.port() == port;
    }
}
