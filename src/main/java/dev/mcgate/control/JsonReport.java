package dev.mcgate.control;

import dev.mcgate.counters.Counter;
import dev.mcgate.counters.CounterReading;
import dev.mcgate.counters.CounterReadings;
import dev.mcgate.forward.ForwardingCounter;
import dev.mcgate.io.PortCounter;
import java.util.Map;
import java.util.Optional;

/**
 * Renders snapshots as the JSON documents of {@code --json}: schema 1, documented field by field in docs/control.md.
 * Every document is an object with {@code "schema": 1} and {@code "command"}; names are snake_case; absent values are
 * null, never left out, so that a script sees the same fields every time.
 */
public final class JsonReport {

    /** Bumped when a field changes meaning or goes away; adding fields keeps the number. */
    public static final int SCHEMA = 1;

    private JsonReport() {}

    public static String status(DaemonSnapshot s) {
        StringBuilder out = new StringBuilder();
        JsonWriter w = begin(out, "status");
        w.field("version", s.version()).field("uptime_seconds", round(s.uptimeSeconds()));
        w.name("totals")
                .beginObject()
                .field("interfaces", s.interfaces().size())
                .field("groups", s.groupCount())
                .field("flows", s.flows().size())
                .endObject();
        DaemonSnapshot.Engine e = s.engine();
        w.name("packet_io")
                .beginObject()
                .field("engine", e.packetIo())
                .field("kernel_forwards", e.kernelForwards())
                .field("fallback", e.fallback().orElse(null))
                .field("kernel_routes", e.kernelRoutes())
                .field("nft_transactions", e.transactions())
                .field("nft_refusals", e.refusals())
                .endObject();
        w.name("interfaces").beginArray();
        for (DaemonSnapshot.Interface i : s.interfaces()) {
            Optional<DaemonSnapshot.Router> router = s.router(i.name());
            Optional<DaemonSnapshot.Upstream> upstream = s.upstream(i.name());
            w.beginObject().field("name", i.name()).field("role", i.role()).field("state", i.state());
            w.field("address", i.address().orElse(null))
                    .field("link_type", i.linkType().orElse(null));
            w.name("capture_buffer_bytes");
            if (i.captureBufferBytes() >= 0) {
                w.value(i.captureBufferBytes());
            } else {
                w.nullValue();
            }
            w.name("igmp_version");
            Optional<Integer> version = router.map(DaemonSnapshot.Router::version)
                    .or(() -> upstream.map(DaemonSnapshot.Upstream::compatibilityVersion));
            if (version.isPresent()) {
                w.value(version.get());
            } else {
                w.nullValue();
            }
            w.name("querier");
            if (router.isPresent()) {
                w.beginObject()
                        .field("this_router", router.get().querier())
                        .field("address", router.get().querierAddress())
                        .endObject();
            } else if (upstream.isPresent()) {
                w.beginObject()
                        .field("this_router", false)
                        .field("address", upstream.get().lastQuerier().orElse(null))
                        .endObject();
            } else {
                w.nullValue();
            }
            Optional<DaemonSnapshot.Router> mld = s.router(i.name(), DaemonSnapshot.Router.MLD);
            Optional<DaemonSnapshot.Upstream> mldUpstream = s.upstream(i.name(), DaemonSnapshot.Router.MLD);
            w.name("mld_version");
            Optional<Integer> mldVersion = mld.map(DaemonSnapshot.Router::version)
                    .or(() -> mldUpstream.map(DaemonSnapshot.Upstream::compatibilityVersion));
            if (mldVersion.isPresent()) {
                w.value(mldVersion.get());
            } else {
                w.nullValue();
            }
            w.name("mld_querier");
            if (mld.isPresent()) {
                w.beginObject()
                        .field("this_router", mld.get().querier())
                        .field("address", mld.get().querierAddress())
                        .endObject();
            } else if (mldUpstream.isPresent()) {
                w.beginObject()
                        .field("this_router", false)
                        .field("address", mldUpstream.get().lastQuerier().orElse(null))
                        .endObject();
            } else {
                w.nullValue();
            }
            portCounters(w.name("counters"), i);
            w.endObject();
        }
        w.endArray();
        w.name("tunnels").beginArray();
        for (DaemonSnapshot.Tunnel t : s.tunnels()) {
            w.beginObject()
                    .field("name", t.name())
                    .field("peer", t.peer())
                    .field("role", t.role())
                    .field("state", t.state())
                    .field("state_seconds", round(t.stateSeconds()));
            optionalSeconds(w.name("last_heard_seconds"), t.lastHeardSeconds());
            optionalSeconds(w.name("session_age_seconds"), t.sessionAgeSeconds());
            w.field("handshakes", t.handshakes())
                    .field("groups", t.groups())
                    .field("inner_mtu", t.innerMtu())
                    .field("reason", t.reason().orElse(null));
            w.name("counters")
                    .beginObject()
                    .field("data_sent", t.dataSent())
                    .field("data_received", t.dataReceived())
                    .field("control_sent", t.controlSent())
                    .field("control_received", t.controlReceived())
                    .field("send_errors", t.sendErrors())
                    .endObject();
            w.endObject();
        }
        w.endArray();
        RelaysJson.write(w, s.relays());
        loop(w, s);
        return end(w, out);
    }

    private static void optionalSeconds(JsonWriter w, Optional<Double> seconds) {
        if (seconds.isPresent()) {
            w.value(round(seconds.get()));
        } else {
            w.nullValue();
        }
    }

    public static String groups(DaemonSnapshot s, Optional<String> only) {
        StringBuilder out = new StringBuilder();
        JsonWriter w = begin(out, "groups");
        w.field("interface", only.orElse(null));
        w.name("downstreams").beginArray();
        for (DaemonSnapshot.Router r : s.routers()) {
            if (only.isPresent() && !only.get().equals(r.name())) {
                continue;
            }
            w.beginObject()
                    .field("interface", r.name())
                    .field("address", r.address())
                    .field("protocol", r.protocol())
                    .field(r.protocol() + "_version", r.version());
            w.name("querier")
                    .beginObject()
                    .field("this_router", r.querier())
                    .field("address", r.querierAddress())
                    .field("other_querier_present_seconds", round(r.otherQuerierPresentSeconds()))
                    .endObject();
            w.field("robustness", r.robustness()).field("query_interval_seconds", round(r.queryIntervalSeconds()));
            w.name("groups").beginArray();
            for (DaemonSnapshot.Group g : r.groups()) {
                w.beginObject()
                        .field("group", g.group())
                        .field("filter_mode", g.filterMode())
                        .field("group_timer_seconds", round(g.groupTimerSeconds()))
                        .field("compatibility_version", g.compatibilityVersion());
                w.name("sources").beginArray();
                for (DaemonSnapshot.Source src : g.sources()) {
                    w.beginObject()
                            .field("address", src.address())
                            .field("timer_seconds", round(src.timerSeconds()))
                            .endObject();
                }
                w.endArray().endObject();
            }
            w.endArray();
            counts(w.name("counters"), r.counters());
            w.endObject();
        }
        w.endArray();
        w.name("upstreams").beginArray();
        for (DaemonSnapshot.Upstream u : s.upstreams()) {
            if (only.isPresent() && !only.get().equals(u.name())) {
                continue;
            }
            w.beginObject()
                    .field("interface", u.name())
                    .field("protocol", u.protocol())
                    .field("compatibility_version", u.compatibilityVersion())
                    .field("last_querier", u.lastQuerier().orElse(null))
                    .field("reports_sent", u.reportsSent())
                    .field("leaves_sent", u.leavesSent())
                    .field("queries_heard", u.queriesHeard());
            w.name("groups").beginArray();
            for (DaemonSnapshot.UpstreamGroup g : u.groups()) {
                w.beginObject().field("group", g.group()).field("filter_mode", g.filterMode());
                w.name("sources").beginArray();
                g.sources().forEach(w::value);
                w.endArray().endObject();
            }
            w.endArray().endObject();
        }
        w.endArray();
        return end(w, out);
    }

    public static String routes(DaemonSnapshot s) {
        StringBuilder out = new StringBuilder();
        JsonWriter w = begin(out, "routes");
        w.field("rate_window_seconds", round(s.rateWindowSeconds()));
        w.name("flows").beginArray();
        for (DaemonSnapshot.Flow f : s.flows()) {
            w.beginObject()
                    .field("source", f.source())
                    .field("group", f.group())
                    .field("ingress", f.ingress());
            w.name("egress").beginArray();
            f.egress().forEach(w::value);
            w.endArray();
            w.field("packets", f.packets())
                    .field("bytes", f.bytes())
                    .field("packets_per_second", round(f.packetsPerSecond()))
                    .field("bits_per_second", round(f.bitsPerSecond()))
                    .field("idle_seconds", round(f.idleSeconds()))
                    .field("via", f.via())
                    .field("ttl_expired", f.ttlExpired());
            w.endObject();
        }
        w.endArray();
        return end(w, out);
    }

    /**
     * {@code counters --json}: the sections operators and scripts read since schema 1 (frames and forwarding per
     * interface, non-zero drops and IGMP counts, internal), then {@code counters}, every family with all its values,
     * zeros included; all of it from the snapshot's readings.
     */
    public static String counters(DaemonSnapshot s) {
        CounterReadings c = s.counters();
        StringBuilder out = new StringBuilder();
        JsonWriter w = begin(out, "counters");
        w.name("interfaces").beginArray();
        for (DaemonSnapshot.Interface i : s.interfaces()) {
            w.beginObject().field("name", i.name()).field("state", i.state());
            w.name("frames")
                    .beginObject()
                    .field("received", c.value(PortCounter.FRAMES_RECEIVED, i.name()))
                    .field("sent", c.value(PortCounter.FRAMES_SENT, i.name()))
                    .field("send_errors", c.value(PortCounter.SEND_ERRORS, i.name()));
            Optional<Long> kernelDrops = CounterViews.only(c, PortCounter.KERNEL_DROPS, i.name());
            w.name("kernel_drops");
            if (kernelDrops.isPresent()) {
                w.value(kernelDrops.get());
            } else {
                w.nullValue();
            }
            w.endObject();
            w.name("forwarding");
            if (CounterViews.only(c, ForwardingCounter.RECEIVED, i.name()).isPresent()) {
                w.beginObject()
                        .field("received", c.value(ForwardingCounter.RECEIVED, i.name()))
                        .field("received_bytes", c.value(ForwardingCounter.RECEIVED_BYTES, i.name()))
                        .field("forwarded", c.value(ForwardingCounter.FORWARDED, i.name()))
                        .field("sent", c.value(ForwardingCounter.SENT, i.name()))
                        .field("sent_bytes", c.value(ForwardingCounter.SENT_BYTES, i.name()))
                        .endObject();
            } else {
                w.nullValue();
            }
            w.endObject();
        }
        w.endArray();
        w.name("drops").beginArray();
        for (CounterViews.Drop d : CounterViews.drops(c)) {
            w.beginObject()
                    .field("interface", d.interfaceName())
                    .field("direction", d.direction())
                    .field("reason", d.reason())
                    .field("count", d.count())
                    .endObject();
        }
        w.endArray();
        w.name("igmp").beginArray();
        for (CounterReading r : CounterViews.nonZero(c, CounterViews.IGMP_MESSAGES)) {
            w.beginObject()
                    .field("interface", r.label("interface"))
                    .field("kind", r.label("kind"))
                    .field("reason", r.label("reason").isEmpty() ? null : r.label("reason"))
                    .field("count", r.value())
                    .endObject();
        }
        w.endArray();
        w.name("internal")
                .beginObject()
                .field("loop_inbox_drops", CounterViews.value(c, CounterViews.LOOP_INBOX_DROPS))
                .field("loop_failed_tasks", CounterViews.value(c, CounterViews.LOOP_FAILED_TASKS))
                .field("flows_evicted", c.value(ForwardingCounter.FLOWS_EVICTED))
                .endObject();
        w.name("counters").beginArray();
        for (Counter family : c.families()) {
            w.beginObject().field("name", family.metric()).field("help", family.help());
            w.name("labels").beginArray();
            family.labelNames().forEach(w::value);
            w.endArray();
            w.name("values").beginArray();
            for (CounterReading r : c.of(family)) {
                w.beginObject();
                w.name("labels").beginObject();
                r.labels().forEach(w::field);
                w.endObject();
                w.field("value", r.value()).endObject();
            }
            w.endArray().endObject();
        }
        w.endArray();
        return end(w, out);
    }

    public static String reload(Reloading.Outcome outcome) {
        StringBuilder out = new StringBuilder();
        JsonWriter w = begin(out, "reload");
        w.field("applied", outcome.applied()).field("message", outcome.message());
        w.name("changes").beginArray();
        outcome.changes().forEach(w::value);
        w.endArray();
        return end(w, out);
    }

    /** What the daemon answers when a request cannot be served. */
    /** {@code json ping}: the daemon answers, as a document like every other JSON answer. */
    public static String ping() {
        StringBuilder out = new StringBuilder();
        JsonWriter w = begin(out, "ping");
        w.field("ok", true);
        return end(w, out);
    }

    public static String error(String command, String message) {
        StringBuilder out = new StringBuilder();
        JsonWriter w = begin(out, command);
        w.field("error", message);
        return end(w, out);
    }

    private static JsonWriter begin(StringBuilder out, String command) {
        JsonWriter w = JsonWriter.pretty(out);
        w.beginObject().field("schema", SCHEMA).field("command", command);
        return w;
    }

    private static String end(JsonWriter w, StringBuilder out) {
        w.endObject();
        w.finish();
        return out.toString();
    }

    private static void portCounters(JsonWriter w, DaemonSnapshot.Interface i) {
        w.beginObject().field("received", i.received()).field("sent", i.sent()).field("send_errors", i.sendErrors());
        w.name("kernel_drops");
        if (i.kernelDrops() >= 0) {
            w.value(i.kernelDrops());
        } else {
            w.nullValue();
        }
        w.endObject();
    }

    private static void loop(JsonWriter w, DaemonSnapshot s) {
        w.name("internal")
                .beginObject()
                .field("loop_inbox_drops", s.loop().inboxDrops())
                .field("loop_failed_tasks", s.loop().failedTasks())
                .field("flows_evicted", s.loop().flowsEvicted())
                .endObject();
    }

    private static void counts(JsonWriter w, Map<String, Long> counts) {
        w.beginObject();
        counts.forEach(w::field);
        w.endObject();
    }

    /** Millisecond precision: more digits would be noise from the clock, not information. */
    private static double round(double seconds) {
        return Math.round(seconds * 1000) / 1000.0;
    }
}
