package dev.mcgate.daemon;

import dev.mcgate.forward.Forwarder;

/**
 * The one-line state of the daemon that systemd shows in {@code systemctl status} (sd_notify STATUS=): interfaces
 * open of those wanted, groups forwarded, flows seen.
 */
public record StatusSummary(int openInterfaces, int wantedInterfaces, int groups, int flows) {

    /** Reads the figures now; cheap enough to do every few seconds (no system call, one pass over the flows). */
    public static StatusSummary of(InterfaceRegistry interfaces, Forwarder forwarder) {
        InterfaceView.InterfaceCount count = interfaces.view().count();
        return new StatusSummary(
                count.open(),
                count.wanted(),
                forwarder.table().groupCount(),
                forwarder.counters().flows().size());
    }

    /** "3 of 3 interfaces open, 4 groups, 1 flow". */
    public String text() {
        return openInterfaces + " of " + wantedInterfaces + " interfaces open, " + plural(groups, "group") + ", "
                + plural(flows, "flow");
    }

    private static String plural(int n, String word) {
        return n + " " + word + (n == 1 ? "" : "s");
    }
}
