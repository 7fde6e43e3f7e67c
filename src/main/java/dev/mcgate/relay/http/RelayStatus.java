package dev.mcgate.relay.http;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The relay's {@code /status} page, HTML for people and JSON for tools: each group with its clients, each client with
 * its address, URL, since when, bytes, average rate and drops, and the relay's totals.
 */
public record RelayStatus(List<Client> clients, Map<String, Long> totals) {

    /** One streaming client. */
    public record Client(
            String address, String url, String group, long sinceMillis, long bytes, double bitsPerSecond, long drops) {}

    public RelayStatus {
        clients = List.copyOf(clients);
        totals = Map.copyOf(totals);
    }

    /** One group (as the URL wrote it, with source and port): its clients and their summed rate. */
    public record Group(String group, int clients, double bitsPerSecond) {}

    /** Per group, in the group's order. */
    public List<Group> groups() {
        return groupSums().entrySet().stream()
                .map(e -> new Group(e.getKey(), (int) e.getValue()[0], e.getValue()[1]))
                .toList();
    }

    private Map<String, double[]> groupSums() {
        Map<String, double[]> out = new TreeMap<>();
        for (Client c : clients) {
            double[] g = out.computeIfAbsent(c.group(), k -> new double[2]);
            g[0]++;
            g[1] += c.bitsPerSecond();
        }
        return out;
    }

    /** JSON written here, not with the control package's writer: the control package reads this one's counters. */
    String json() {
        StringBuilder out = new StringBuilder("{\n  \"groups\": [");
        String sep = "";
        for (Map.Entry<String, double[]> g : groupSums().entrySet()) {
            out.append(sep)
                    .append("\n    {\"group\": ")
                    .append(quote(g.getKey()))
                    .append(", \"clients\": ")
                    .append((long) g.getValue()[0])
                    .append(", \"bits_per_second\": ")
                    .append(Math.round(g.getValue()[1]))
                    .append('}');
            sep = ",";
        }
        out.append("\n  ],\n  \"clients\": [");
        sep = "";
        for (Client c : clients) {
            out.append(sep)
                    .append("\n    {\"address\": ")
                    .append(quote(c.address()))
                    .append(", \"url\": ")
                    .append(quote(c.url()))
                    .append(", \"since_ms\": ")
                    .append(c.sinceMillis())
                    .append(", \"bytes\": ")
                    .append(c.bytes())
                    .append(", \"bits_per_second\": ")
                    .append(Math.round(c.bitsPerSecond()))
                    .append(", \"drops\": ")
                    .append(c.drops())
                    .append('}');
            sep = ",";
        }
        out.append("\n  ],\n  \"totals\": {");
        sep = "";
        for (Map.Entry<String, Long> t : new TreeMap<>(totals).entrySet()) {
            out.append(sep)
                    .append("\n    ")
                    .append(quote(t.getKey()))
                    .append(": ")
                    .append(t.getValue());
            sep = ",";
        }
        return out.append("\n  }\n}\n").toString();
    }

    /** A JSON string: the texts here are addresses and URLs, but a request path may hold anything. */
    private static String quote(String s) {
        StringBuilder out = new StringBuilder("\"");
        for (char ch : s.toCharArray()) {
            if (ch == '"' || ch == '\\') {
                out.append('\\').append(ch);
            } else if (ch < 0x20) {
                out.append(String.format(java.util.Locale.ROOT, "\\u%04x", (int) ch));
            } else {
                out.append(ch);
            }
        }
        return out.append('"').toString();
    }

    String html() {
        StringBuilder out = new StringBuilder();
        out.append(
                "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>mcgate HTTP relay</title></head><body>\n");
        out.append("<h1>mcgate HTTP relay</h1>\n<h2>Groups</h2>\n<table border=\"1\">\n");
        out.append("<tr><th>group</th><th>clients</th><th>Mbit/s</th></tr>\n");
        groupSums()
                .forEach((g, v) -> out.append("<tr><td>")
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
