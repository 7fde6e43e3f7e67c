package dev.mcgate.lab;

import dev.mcgate.control.JsonWriter;
import dev.mcgate.net.IpAddress;
import dev.mcgate.net.IpFamily;
import java.util.Locale;

/**
 * What a sender run did: datagrams sent, send errors and the rate it achieved.
 *
 * @param senderId the id in every payload of this run (hex in the outputs)
 * @param source the source address the kernel put on the datagrams (it picks one when --source is not given)
 * @param sent datagrams handed to the kernel
 * @param errors sends that failed (the sequence number was used up: the receiver sees them as lost)
 * @param firstError message of the first failed send, or null
 * @param elapsedNanos from the start to the end of the run
 * @param spanNanos from the first successful send to the last
 */
public record SendResult(
        long senderId, IpAddress source, long sent, long errors, String firstError, long elapsedNanos, long spanNanos) {

    /**
     * Datagrams per second from the first send to the last, the same measure as the receiver's rate (N datagrams
     * span N-1 intervals); 0 with fewer than two.
     */
    public double achievedRate() {
        return sent < 2 || spanNanos <= 0 ? 0 : (sent - 1) * 1e9 / spanNanos;
    }

    /** One or two human-readable lines. */
    public String summary(SendOptions options) {
        String text = String.format(
                Locale.ROOT,
                "sent %d datagram%s of %d bytes from %s to %s:%d in %.3f s (%.1f/s), %s %d, sender %s",
                sent,
                sent == 1 ? "" : "s",
                options.size(),
                source,
                // RFC 5952 §6: an IPv6 address with a port is written in brackets.
                options.group().family() == IpFamily.IPV6 ? "[" + options.group() + "]" : options.group(),
                options.port(),
                elapsedNanos / 1e9,
                achievedRate(),
                options.group().family() == IpFamily.IPV6 ? "hop limit" : "TTL",
                options.ttl(),
                Long.toHexString(senderId));
        if (errors > 0) {
            text += String.format(Locale.ROOT, "%n%d sends failed, first: %s", errors, firstError);
        }
        return text;
    }

    /** The result as one JSON object. */
    public void writeJson(JsonWriter json, SendOptions options) {
        json.beginObject()
                .field("group", options.group().toString())
                .field("port", options.port())
                .field("source", source.toString())
                .field(
                        "interface",
                        options.networkInterface() == null
                                ? null
                                : options.networkInterface().getName())
                .field("senderId", Long.toHexString(senderId))
                .field("size", options.size())
                .field("ttl", options.ttl())
                .field("requestedRate", options.rate())
                .field("sent", sent)
                .field("errors", errors)
                .field("firstError", firstError)
                .field("elapsedSeconds", Math.round(elapsedNanos / 1e3) / 1e6)
                .field("achievedRate", Math.round(achievedRate() * 10) / 10.0)
                .endObject();
    }
}
