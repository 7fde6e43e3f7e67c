package dev.mcgate.relay.http;

import dev.mcgate.control.JsonWriter;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The relay's {@code /status} page, HTML for people and JSON for tools: each group with its clients, each client with
 * its address, URL, since when, bytes, average rate and drops, and the relay's totals.
 */
record RelayStatus(List<Client> clients, Map<String, Long> totals) {

    /** One streaming client. */
    record Client(
            String address, String url, String group, long sinceMillis, long bytes, double bitsPerSecond, long drops) {}

    RelayStatus {
        clients = List.copyOf(clients);
        totals = Map.copyOf(totals);
    }

    /** Per group (as the URL wrote it, with source and port): clients and their summed rate. */
    private Map<String, double[]> groups() {
        Map<String, double[]> out = new TreeMap<>();
        for (Client c : clients) {
            double[] g = out.computeIfAbsent(c.group(), k -> new double[2]);
            g[0]++;
            g[1] += c.bitsPerSecond();
        }
        return out;
    }

    String json() {
        StringBuilder out = new StringBuilder();
        JsonWriter w = JsonWriter.pretty(out);
        w.beginObject();
        w.name("groups").beginArray();
        groups().forEach((g, v) -> w.beginObject()
                .field("group", g)
                .field("clients", (long) v[0])
                .field("bits_per_second", Math.round(v[1]))
                .endObject());
        w.endArray();
        w.name("clients").beginArray();
        for (Client c : clients) {
            w.beginObject()
                    .field("address", c.address())
                    .field("url", c.url())
                    .field("since_ms", c.sinceMillis())
                    .field("bytes", c.bytes())
                    .field("bits_per_second", Math.round(c.bitsPerSecond()))
                    .field("drops", c.drops())
                    .endObject();
        }
        w.endArray();
        w.name("totals").beginObject();
        new TreeMap<>(totals).forEach(w::field);
        w.endObject();
        w.endObject();
        w.finish();
        return out.append('\n').toString();
    }

    String html() {
        StringBuilder out = new StringBuilder();
        out.append(
                "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>mcgate HTTP relay</title></head><body>\n");
        out.append("<h1>mcgate HTTP relay</h1>\n<h2>Groups</h2>\n<table border=\"1\">\n");
        out.append("<tr><th>group</th><th>clients</th><th>Mbit/s</th></tr>\n");
        groups().forEach((g, v) -> out.append("<tr><td>")
                .append(escape(g))
                .append("</td><td>")
                .append((long) v[0])
                .append("</td><td>")
                .append(String.format(java.util.Locale.ROOT, "%.2f", v[1] / 1e6))
                .append("</td></tr>\n"));
        out.append("</table>\n<h2>Clients</h2>\n<table border=\"1\">\n");
        out.append("<tr><th>address</th><th>URL</th><th>since</th><th>bytes</th><th>Mbit/s</th><th>drops</th></tr>\n");
        for (Client c : clients) {
            out.append("<tr><td>")
                    .append(escape(c.address()))
                    .append("</td><td>")
                    .append(escape(c.url()))
                    .append("</td><td>")
                    .append(java.time.Instant.ofEpochMilli(c.sinceMillis()))
                    .append("</td><td>")
                    .append(c.bytes())
                    .append("</td><td>")
                    .append(String.format(java.util.Locale.ROOT, "%.2f", c.bitsPerSecond() / 1e6))
                    .append("</td><td>")
                    .append(c.drops())
                    .append("</td></tr>\n");
        }
        out.append("</table>\n<h2>Totals</h2>\n<table border=\"1\">\n");
        new TreeMap<>(totals)
                .forEach((k, v) -> out.append("<tr><td>")
                        .append(escape(k))
                        .append("</td><td>")
                        .append(v)
                        .append("</td></tr>\n"));
        out.append("</table>\n</body></html>\n");
        return out.toString();
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
