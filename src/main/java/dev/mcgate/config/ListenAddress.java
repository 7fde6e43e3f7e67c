package dev.mcgate.config;

import java.util.Objects;
import java.util.Optional;

/**
 * Where a TCP listener binds: an IP address literal and a port, written {@code 127.0.0.1:9310} or {@code [::1]:9310}
 * (the value of {@code metrics-listen}).
 *
 * @param host an IPv4 literal, or an IPv6 literal without brackets
 * @param port 1..65535
 */
public record ListenAddress(String host, int port) {

    public ListenAddress {
        Objects.requireNonNull(host, "host");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be 1..65535, not " + port);
        }
    }

    /**
     * Reads {@code ADDRESS:PORT}; empty when the text is not of that form. Names are not accepted: a listener bound
     * through a name that resolves differently tomorrow would move without anyone editing the file.
     */
    public static Optional<ListenAddress> parse(String text) {
        String host;
        String port;
        if (text.startsWith("[")) {
            int close = text.indexOf("]:");
            if (close < 0) {
                return Optional.empty();
            }
            host = text.substring(1, close);
            port = text.substring(close + 2);
            if (!host.matches("[0-9A-Fa-f:.]+") || !host.contains(":")) {
                return Optional.empty();
            }
        } else {
            int colon = text.lastIndexOf(':');
            if (colon < 0 || text.indexOf(':') != colon) {
                return Optional.empty();
            }
            host = text.substring(0, colon);
            port = text.substring(colon + 1);
            if (!isIpv4(host)) {
                return Optional.empty();
            }
        }
        if (!port.matches("[0-9]{1,5}")) {
            return Optional.empty();
        }
        int p = Integer.parseInt(port);
        return p >= 1 && p <= 65535 ? Optional.of(new ListenAddress(host, p)) : Optional.empty();
    }

    private static boolean isIpv4(String s) {
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) {
            return false;
        }
        for (String part : parts) {
            if (!part.matches("[0-9]{1,3}") || Integer.parseInt(part) > 255) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
