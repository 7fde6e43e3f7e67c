package dev.mcgate.cli;

import dev.mcgate.control.JsonWriter;
import dev.mcgate.lab.LabOptionChecks;
import dev.mcgate.net.IpAddress;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

/** Turns the lab commands' text options into values, failing with a one-line message that names the option. */
final class LabArguments {

    /** The value of {@code --json} given without a file: write to stdout. */
    static final String STDOUT = "-";

    private LabArguments() {}

    /** A multicast group of either family: 224.0.0.0/4 or ff00::/8. */
    static IpAddress group(String text) {
        if (text == null) {
            throw new IllegalArgumentException("--group is required");
        }
        IpAddress group = address("--group", text);
        if (!group.isMulticast()) {
            throw new IllegalArgumentException("--group " + text + " is not a multicast address ("
                    + LabOptionChecks.multicastRange(group.family()) + ")");
        }
        return group;
    }

    /** An IPv4 or IPv6 address; as {@link IpAddress#parse}, a colon makes the text IPv6. */
    static IpAddress address(String option, String text) {
        boolean ipv6 = text.indexOf(':') >= 0;
        try {
            return IpAddress.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    option + " '" + text + "' is not an " + (ipv6 ? "IPv6" : "IPv4") + " address");
        }
    }

    /** The named interface, or null for none; unknown names are an error. */
    static NetworkInterface networkInterface(String name) {
        if (name == null) {
            return null;
        }
        try {
            NetworkInterface ni = NetworkInterface.getByName(name);
            if (ni == null) {
                throw new IllegalArgumentException("--interface '" + name + "': no such interface");
            }
            return ni;
        } catch (SocketException e) {
            throw new IllegalArgumentException("--interface '" + name + "': " + e.getMessage());
        }
    }

    /** A source address that must belong to this host (we bind to it). */
    static IpAddress localSource(String text) {
        if (text == null) {
            return null;
        }
        IpAddress source = address("--source", text);
        try {
            if (NetworkInterface.getByInetAddress(InetAddress.getByAddress(source.toBytes())) == null) {
                throw new IllegalArgumentException("--source " + text + " is not an address of this host");
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("--source " + text + ": " + e.getMessage());
        }
        return source;
    }

    /** Writes one JSON document, pretty, to stdout ({@link #STDOUT}) or to the named file. */
    static void writeJson(String target, PrintWriter out, Consumer<JsonWriter> body) throws IOException {
        StringBuilder text = new StringBuilder();
        JsonWriter json = JsonWriter.pretty(text);
        body.accept(json);
        json.finish();
        if (STDOUT.equals(target)) {
            out.print(text);
            out.flush();
        } else {
            try (Writer file = Files.newBufferedWriter(Path.of(target), StandardCharsets.UTF_8)) {
                file.append(text);
            }
        }
    }
}
