package dev.mcgate.control;

import dev.mcgate.relay.http.HttpRelayCounter;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Renders snapshots as the aligned text tables the commands print for an operator.
 */
public final class TextReport {

    private static final String NONE = "-";

    private TextReport() {}

    /** {@code mcgate status}: a summary line, then one row per interface, then one per tunnel if there are any. */
    public static String status(DaemonSnapshot s) {
        StringBuilder out = new StringBuilder();
        out.append("mcgate ")
                .append(s.version())
                .append(", up ")
                .append(uptime(s.uptimeSeconds()))
                .append("; ")
                .append(s.groupCount())
                .append(s.groupCount() == 1 ? " group, " : " groups, ")
                .append(s.flows().size())
                .append(s.flows().size() == 1 ? " flow" : " flows")
                .append('\n');
        engine(s.engine(), out);
        TextTable t = new TextTable(
                "INTERFACE",
                "ROLE",
                "STATE",
                "ADDRESS",
                "LINK",
                ">BUFFER",
                "IGMP",
                "QUERIER",
                "MLD",
                "MLD-QUERIER",
                ">RX",
                ">TX",
                ">SEND-ERR",
                ">KERNEL-DROP");
        for (DaemonSnapshot.Interface i : s.interfaces()) {
            Optional<DaemonSnapshot.Router> router = s.router(i.name());
            Optional<DaemonSnapshot.Upstream> upstream = s.upstream(i.name());
            Optional<DaemonSnapshot.Router> mld = s.router(i.name(), DaemonSnapshot.Router.MLD);
            Optional<DaemonSnapshot.Upstream> mldUpstream = s.upstream(i.name(), DaemonSnapshot.Router.MLD);
            String igmp = router.map(r -> "v" + r.version())
                    .or(() -> upstream.map(u -> "v" + u.compatibilityVersion()))
                    .orElse(NONE);
            String querier = router.map(r -> r.querier() ? "this router" : r.querierAddress())
                    .or(() -> upstream.map(u -> u.lastQuerier().orElse("none heard")))
                    .orElse(NONE);
            boolean open = i.state().equals("open");
            t.row(
                    i.name(),
                    i.role(),
                    i.state(),
                    i.address().orElse(NONE),
                    i.linkType().orElse(NONE),
                    i.captureBufferBytes() >= 0 ? bytes(i.captureBufferBytes()) : NONE,
                    igmp,
                    querier,
                    mld.map(r -> "v" + r.version())
                            .or(() -> mldUpstream.map(u -> "v" + u.compatibilityVersion()))
                            .orElse(NONE),
                    mld.map(r -> r.querier() ? "this router" : r.querierAddress())
                            .or(() -> mldUpstream.map(u -> u.lastQuerier().orElse("none heard")))
                            .orElse(NONE),
                    open ? i.received() : NONE,
                    open ? i.sent() : NONE,
                    open ? i.sendErrors() : NONE,
                    open && i.kernelDrops() >= 0 ? i.kernelDrops() : NONE);
        }
        t.appendTo(out);
        if (!s.tunnels().isEmpty()) {
            out.append('\n');
            TextTable tt = new TextTable(
                    "TUNNEL",
                    "PEER",
                    "ROLE",
                    "STATE",
                    ">FOR",
                    ">HEARD",
                    ">SESSION",
                    ">HANDSHAKES",
                    ">GROUPS",
                    ">DATA-TX",
                    ">DATA-RX",
                    ">CTRL-TX",
                    ">CTRL-RX",
                    ">SEND-ERR",
                    ">MTU");
            for (DaemonSnapshot.Tunnel tn : s.tunnels()) {
                // Not open: the reason is what the operator needs (a missing address, a key file), in the state column.
                String state = tn.reason().map(r -> "not open: " + r).orElse(tn.state());
                tt.row(
                        tn.name(),
                        tn.peer(),
                        tn.role(),
                        state,
                        seconds(tn.stateSeconds()),
                        tn.lastHeardSeconds().map(h -> seconds(h) + " ago").orElse("never"),
                        tn.sessionAgeSeconds().map(TextReport::seconds).orElse(NONE),
                        tn.handshakes(),
                        tn.groups(),
                        tn.dataSent(),
                        tn.dataReceived(),
                        tn.controlSent(),
                        tn.controlReceived(),
                        tn.sendErrors(),
                        tn.innerMtu());
            }
            tt.appendTo(out);
        }
        httpRelay(out, s.counters());
        KafkaStatusLine.append(out, s.counters(), s.relays().kafka().flatMap(DaemonSnapshot.KafkaRelay::publish));
        if (s.loop().inboxDrops() > 0 || s.loop().failedTasks() > 0) {
            out.append("event loop: ")
                    .append(s.loop().inboxDrops())
                    .append(" events dropped (inbox full), ")
                    .append(s.loop().failedTasks())
                    .append(" tasks failed (see the log)\n");
        }
        return out.toString();
    }

    /** A buffer size for a column: whole KiB below a MiB, else MiB to one decimal ({@code 3.8M}). */
    static String bytes(long bytes) {
        if (bytes < (1 << 20)) {
            return Math.round(bytes / 1024.0) + "K";
        }
        return String.format(java.util.Locale.ROOT, "%.1fM", bytes / (double) (1 << 20));
    }

    /** {@code mcgate groups}: downstream group records, then what is reported upstream; one interface if named. */
    /** One line of the HTTP relay's figures, if it runs (its counters are there); its page has the rest. */
    private static void httpRelay(StringBuilder out, dev.mcgate.counters.CounterReadings c) {
        if (c == null || CounterViews.only(c, HttpRelayCounter.CLIENTS).isEmpty()) {
            return;
        }
        long refused = c.of(HttpRelayCounter.REFUSED).stream()
                .mapToLong(dev.mcgate.counters.CounterReading::value)
                .sum();
        out.append("\nhttp relay: ")
                .append(c.value(HttpRelayCounter.CLIENTS))
                .append(" clients served, ")
                .append(refused)
                .append(" refused, ")
                .append(c.value(HttpRelayCounter.SLOW_CLIENTS))
                .append(" disconnected as slow; ")
                .append(c.value(HttpRelayCounter.DATAGRAMS))
                .append(" datagrams (")
                .append(bytes(c.value(HttpRelayCounter.BYTES)))
                .append(") sent; drops: ")
                .append(c.value(HttpRelayCounter.DROPS, "slow-client"))
                .append(" slow-client, ")
                .append(c.value(HttpRelayCounter.DROPS, "rtp-invalid"))
                .append(" rtp-invalid (clients now: its /status page)\n");
    }

    public static String groups(DaemonSnapshot s, Optional<String> only) {
        StringBuilder out = new StringBuilder();
        TextTable down = new TextTable("INTERFACE", "GROUP", "MODE", ">TIMER", "COMPAT", "SOURCES (TIMER)");
        for (DaemonSnapshot.Router r : s.routers()) {
            if (only.isPresent() && !only.get().equals(r.name())) {
                continue;
            }
            for (DaemonSnapshot.Group g : r.groups()) {
                String sources = g.sources().isEmpty()
                        ? NONE
                        : g.sources().stream()
                                .map(src -> src.address() + " (" + seconds(src.timerSeconds()) + ")")
                                .collect(Collectors.joining(", "));
                down.row(
                        r.name(),
                        g.group(),
                        g.filterMode(),
                        g.filterMode().equals("exclude") ? seconds(g.groupTimerSeconds()) : NONE,
                        r.protocol().toUpperCase(java.util.Locale.ROOT) + "v" + g.compatibilityVersion(),
                        sources);
            }
        }
        TextTable up = new TextTable("UPSTREAM", "GROUP", "MODE", "SOURCES");
        for (DaemonSnapshot.Upstream u : s.upstreams()) {
            if (only.isPresent() && !only.get().equals(u.name())) {
                continue;
            }
            for (DaemonSnapshot.UpstreamGroup g : u.groups()) {
                up.row(
                        u.name(),
                        g.group(),
                        g.filterMode(),
                        g.sources().isEmpty() ? NONE : String.join(", ", g.sources()));
            }
        }
        out.append("Downstream group records (RFC 3376 §6.2.1):\n");
        if (down.isEmpty()) {
            out.append("  none\n");
        } else {
            down.appendTo(out);
        }
        out.append("\nReported upstream (RFC 4605 §4.1):\n");
        if (up.isEmpty()) {
            out.append("  none\n");
        } else {
            up.appendTo(out);
        }
        return out.toString();
    }

    /** The nft engine's line: what the kernel forwards, or why it forwards nothing. */
    private static void engine(DaemonSnapshot.Engine e, StringBuilder out) {
        if (!e.packetIo().equals("nft")) {
            return;
        }
        if (e.kernelForwards()) {
            out.append("packet-io nft: the kernel forwards ")
                    .append(e.kernelRoutes())
                    .append(e.kernelRoutes() == 1 ? " route" : " routes")
                    .append(" (")
                    .append(e.transactions())
                    .append(" nft transactions, ")
                    .append(e.refusals())
                    .append(" refused)\n");
        } else {
            out.append("packet-io nft: forwarding in user space (pcap): ")
                    .append(e.fallback().orElse("?"))
                    .append('\n');
        }
    }

    /** {@code mcgate routes}: one row per flow, with its egress interfaces and rates. */
    public static String routes(DaemonSnapshot s) {
        StringBuilder out = new StringBuilder();
        if (s.flows().isEmpty()) {
            return "no flows\n";
        }
        out.append(s.flows().size())
                .append(s.flows().size() == 1 ? " flow" : " flows")
                .append("; rates over ")
                .append(
                        s.rateWindowSeconds() > 0
                                ? "the last " + seconds(s.rateWindowSeconds()) + " sample"
                                : "no sample yet (one is taken every second)")
                .append('\n');
        boolean kernel = s.flows().stream().anyMatch(f -> f.via().equals("kernel"));
        TextTable t = kernel
                ? new TextTable(
                        "SOURCE",
                        "GROUP",
                        "INGRESS",
                        "EGRESS",
                        ">PACKETS",
                        ">BYTES",
                        ">PKT/S",
                        ">BIT/S",
                        ">IDLE",
                        "VIA",
                        ">TTL-EXPIRED")
                : new TextTable(
                        "SOURCE", "GROUP", "INGRESS", "EGRESS", ">PACKETS", ">BYTES", ">PKT/S", ">BIT/S", ">IDLE");
        for (DaemonSnapshot.Flow f : s.flows()) {
            String egress = f.egress().isEmpty() ? "(none)" : String.join(",", f.egress());
            boolean fromKernel = f.via().equals("kernel");
            if (kernel) {
                // The kernel's rule counters have no rate or idle time of their own.
                t.row(
                        f.source(),
                        f.group(),
                        f.ingress(),
                        egress,
                        f.packets(),
                        f.bytes(),
                        fromKernel ? NONE : scaled(f.packetsPerSecond(), ""),
                        fromKernel ? NONE : scaled(f.bitsPerSecond(), ""),
                        fromKernel ? NONE : seconds(f.idleSeconds()),
                        f.via(),
                        fromKernel ? f.ttlExpired() : NONE);
            } else {
                t.row(
                        f.source(),
                        f.group(),
                        f.ingress(),
                        egress,
                        f.packets(),
                        f.bytes(),
                        scaled(f.packetsPerSecond(), ""),
                        scaled(f.bitsPerSecond(), ""),
                        seconds(f.idleSeconds()));
            }
        }
        t.appendTo(out);
        return out.toString();
    }

    /** {@code mcgate counters}: frames per port, drops by reason, IGMP by kind, internal, then every other counter. */
    public static String counters(DaemonSnapshot s) {
        return CounterText.render(s);
    }

    /** {@code mcgate reload}: what was applied, or why the file was refused. */
    public static String reload(Reloading.Outcome outcome) {
        StringBuilder out = new StringBuilder();
        out.append(outcome.applied() ? "reloaded: " : "not reloaded: ")
                .append(outcome.message())
                .append('\n');
        for (String change : outcome.changes()) {
            out.append("  ").append(change).append('\n');
        }
        return out.toString();
    }

    /** 258.3s; whole seconds above 100 s read better as 258s. */
    static String seconds(double s) {
        return fixed(s, s >= 100 ? 0 : 1) + "s";
    }

    /** 3d 04:05:06, or 04:05:06 under a day. */
    static String uptime(double seconds) {
        long s = (long) seconds;
        String hms = twoDigits(s / 3600 % 24) + ":" + twoDigits(s / 60 % 60) + ":" + twoDigits(s % 60);
        return s >= 86400 ? s / 86400 + "d " + hms : hms;
    }

    /** 950, 12.5k, 3.20M, 1.05G: rates to three significant figures. */
    static String scaled(double v, String unit) {
        String[] prefixes = {"", "k", "M", "G", "T"};
        int i = 0;
        while (v >= 1000 && i < prefixes.length - 1) {
            v /= 1000;
            i++;
        }
        String number = fixed(v, i == 0 || v >= 100 ? 0 : v >= 10 ? 1 : 2);
        return number + prefixes[i] + unit;
    }

    private static String twoDigits(long n) {
        return n < 10 ? "0" + n : Long.toString(n);
    }

    /**
     * {@code v} rounded to {@code decimals} places, half up. Not String.format: a routes table of thousands of flows
     * formats tens of thousands of numbers, and the Formatter made that take hundreds of milliseconds.
     */
    static String fixed(double v, int decimals) {
        long scale = decimals == 0 ? 1 : decimals == 1 ? 10 : 100;
        long n = Math.round(Math.abs(v) * scale);
        String sign = v < 0 && n != 0 ? "-" : "";
        if (decimals == 0) {
            return sign + n;
        }
        String frac = Long.toString(n % scale);
        return sign + n / scale + "." + "0".repeat(decimals - frac.length()) + frac;
    }
}
