package dev.mcgate.relay.http;

import dev.mcgate.net.IpAddress;
import dev.mcgate.net.IpFamily;
import java.util.Locale;

/**
 * A client's HTTP request as the relay reads it: a stream of a group (udpxy's URLs), the status page, or a refusal
 * with its status code and one-line reason. Checks only what the request itself says; the allow-list, the filters
 * and the limits are the server's.
 *
 * <p>URLs: {@code /udp/GROUP:PORT}, {@code /rtp/GROUP:PORT}, source-specific {@code /udp/SOURCE@GROUP:PORT} (as VLC
 * writes SSM), IPv6 in brackets ({@code /udp/[ff3e::1]:5000}, {@code /udp/[2001:db8::1]@[ff3e::1]:5000});
 * {@code /status}, {@code /status.json}. A query string is ignored.
 */
public sealed interface RelayRequest {

    /** UDP payloads as they come, or with the RTP header taken off. */
    enum Framing {
        UDP,
        RTP
    }

    /** Stream the payloads of datagrams to {@code group}:{@code port} (from {@code source} only, unless null). */
    record Stream(Framing framing, IpAddress source, IpAddress group, int port) implements RelayRequest {
        /** As the URL writes it, for logs and the status page. */
        public String describe() {
            return (source == null ? "" : bracket(source) + "@") + bracket(group) + ":" + port;
        }

        private static String bracket(IpAddress a) {
            return a.family() == IpFamily.IPV6 ? "[" + a + "]" : a.toString();
        }
    }

    /** The status page, as JSON or HTML. */
    record Status(boolean json) implements RelayRequest {}

    /** Refused before anything was joined: why (its status code and counter label), and a one-line reason. */
    record Refusal(RefusalKind kind, String reason) implements RelayRequest {
        /** The reason echoes what the client sent: control characters (a lone CR or LF) would break its one line. */
        public Refusal {
            reason = reason.replaceAll("\\p{Cntrl}", "?");
        }

        public int code() {
            return kind.code();
        }
    }

    /**
     * Reads the request head (request line and headers, without the blank line).
     */
    static RelayRequest parse(String head) {
        int eol = head.indexOf("\r\n");
        String requestLine = eol < 0 ? head : head.substring(0, eol);
        String[] parts = requestLine.split(" ", -1);
        if (parts.length != 3 || !parts[2].startsWith("HTTP/1.")) {
            return new Refusal(RefusalKind.BAD_REQUEST, "malformed request line");
        }
        String target = parts[1];
        int query = target.indexOf('?');
        String path = query < 0 ? target : target.substring(0, query);
        boolean knownPath = path.startsWith("/udp/") || path.startsWith("/rtp/") || path.startsWith("/status");
        if (!parts[0].equals("GET")) {
            return knownPath
                    ? new Refusal(RefusalKind.METHOD, "only GET is served")
                    : new Refusal(RefusalKind.NOT_FOUND, "no such path");
        }
        if (path.equals("/status.json")) {
            return new Status(true);
        }
        if (path.equals("/status")) {
            return new Status(wantsJson(head));
        }
        if (path.startsWith("/udp/")) {
            return stream(Framing.UDP, path.substring(5));
        }
        if (path.startsWith("/rtp/")) {
            return stream(Framing.RTP, path.substring(5));
        }
        return new Refusal(RefusalKind.NOT_FOUND, "no such path: use /udp/GROUP:PORT, /rtp/GROUP:PORT or /status");
    }

    private static boolean wantsJson(String head) {
        for (String line : head.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0
                    && line.substring(0, colon).trim().equalsIgnoreCase("accept")
                    && line.substring(colon + 1).toLowerCase(Locale.ROOT).contains("application/json")) {
                return true;
            }
        }
        return false;
    }

    /** {@code [SOURCE@]GROUP:PORT}, each address bracketed if IPv6. */
    private static RelayRequest stream(Framing framing, String spec) {
        int at = spec.lastIndexOf('@');
        String sourceText = at < 0 ? null : spec.substring(0, at);
        String rest = spec.substring(at + 1);
        int colon = rest.lastIndexOf(':');
        if (colon < 0) {
            return new Refusal(RefusalKind.BAD_REQUEST, "malformed URL: write GROUP:PORT");
        }
        String portText = rest.substring(colon + 1);
        if (!portText.matches("[0-9]{1,5}") || Integer.parseInt(portText) < 1 || Integer.parseInt(portText) > 65535) {
            return new Refusal(RefusalKind.BAD_REQUEST, "malformed URL: the port must be 1..65535");
        }
        IpAddress group = address(rest.substring(0, colon));
        if (group == null) {
            return new Refusal(
                    RefusalKind.BAD_REQUEST, "malformed URL: not an IP address: " + rest.substring(0, colon));
        }
        IpAddress source = null;
        if (sourceText != null) {
            source = address(sourceText);
            if (source == null) {
                return new Refusal(RefusalKind.BAD_REQUEST, "malformed URL: not an IP address: " + sourceText);
            }
            if (source.isMulticast() || source.isUnspecified() || source.family() != group.family()) {
                return new Refusal(
                        RefusalKind.BAD_REQUEST, "not a unicast source of the group's family: " + sourceText);
            }
        }
        if (!group.isMulticast()) {
            return new Refusal(RefusalKind.BAD_REQUEST, "not a multicast group: " + group);
        }
        if (group.isLinkLocalMulticast()) {
            return new Refusal(RefusalKind.BAD_REQUEST, "a link-local group is never joined: " + group);
        }
        if (group.isSourceSpecific() && source == null) {
            return new Refusal(RefusalKind.BAD_REQUEST, "a source-specific group needs a source: /udp/SOURCE@" + rest);
        }
        return new Stream(framing, source, group, Integer.parseInt(portText));
    }

    /** An address as the URL writes it: IPv4 dotted, IPv6 in brackets; null if it is neither. */
    private static IpAddress address(String text) {
        boolean bracketed = text.startsWith("[") && text.endsWith("]");
        String bare = bracketed ? text.substring(1, text.length() - 1) : text;
        if (bracketed != bare.contains(":") || bare.isEmpty() || !bare.matches("[0-9A-Fa-f:.]+")) {
            return null;
        }
        try {
            return IpAddress.parse(bare);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
