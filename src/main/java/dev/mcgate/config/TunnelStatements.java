package dev.mcgate.config;

import dev.mcgate.net.Ip4;
import dev.mcgate.net.IpAddress;
import dev.mcgate.net.IpFamily;
import java.io.IOException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** Reads the statements of a {@code tunnel NAME { }} block into the draft, reporting bad values at their line. */
final class TunnelStatements {

    static final Set<String> KEYWORDS =
            Set.of("role", "local", "peer", "key-file", "keepalive", "dead-interval", "mtu", "ttl", "remap");

    private final ValueReader values;
    private final Problems problems;
    /** $CREDENTIALS_DIRECTORY, for key-file credential:NAME (systemd's LoadCredential=). */
    private final Optional<String> credentialsDirectory;

    TunnelStatements(ValueReader values) {
        this.values = values;
        this.problems = values.problems();
        this.credentialsDirectory = Optional.ofNullable(System.getenv("CREDENTIALS_DIRECTORY"));
    }

    void apply(ConfigLines.Line line, ConfigDraft.Tunnel t) {
        int n = line.number();
        if (line.keyword().equals("remap")) {
            remap(line, t);
            return;
        }
        String value = values.single(line);
        if (value == null) {
            return;
        }
        switch (line.keyword()) {
            case "role" -> {
                if (value.equals("upstream") || value.equals("downstream")) {
                    t.role = new Sourced<>(Role.valueOf(value.toUpperCase(Locale.ROOT)), n);
                } else {
                    problems.error(
                            n,
                            "a tunnel's role is upstream (the receivers are here) or downstream (the "
                                    + "sources are here), not '" + value + "'");
                }
            }
            case "local" -> {
                Object[] ap = addressAndPort(n, "local", value);
                if (ap != null) {
                    t.localAddress = new Sourced<>((Ip4) ap[0], n);
                    t.localPort = (Integer) ap[1];
                }
            }
            case "peer" -> {
                Object[] ap = addressAndPort(n, "peer", value);
                if (ap != null) {
                    Ip4 peer = (Ip4) ap[0];
                    if (peer.equals(Ip4.ANY) || peer.isMulticast()) {
                        problems.error(n, "peer must be a unicast address, not " + peer);
                    } else {
                        t.peerAddress = new Sourced<>(peer, n);
                        t.peerPort = (Integer) ap[1];
                    }
                }
            }
            case "key-file" -> keyFile(n, value, t);
            case "keepalive" -> {
                Duration d = values.duration(n, "keepalive", value, Duration.ofMillis(100), Duration.ofSeconds(60));
                if (d != null) {
                    t.keepalive = new Sourced<>(d, n);
                }
            }
            case "dead-interval" -> {
                Duration d =
                        values.duration(n, "dead-interval", value, Duration.ofMillis(300), Duration.ofSeconds(600));
                if (d != null) {
                    t.deadInterval = new Sourced<>(d, n);
                }
            }
            case "mtu" -> {
                Integer mtu = values.integer(n, "mtu", value, 576, 65535);
                if (mtu != null) {
                    t.mtu = new Sourced<>(mtu, n);
                }
            }
            case "ttl" -> {
                if (value.equals("keep")) {
                    t.ttl = new Sourced<>(0, n);
                } else {
                    Integer ttl = values.integer(n, "ttl", value, 1, 255);
                    if (ttl != null) {
                        t.ttl = new Sourced<>(ttl, n);
                    }
                }
            }
            default -> throw new IllegalStateException(line.keyword());
        }
    }

    private void remap(ConfigLines.Line line, ConfigDraft.Tunnel t) {
        List<String> args = line.args();
        if (args.size() != 2) {
            problems.error(
                    line.number(),
                    "write 'remap GROUP LOCAL-GROUP': the group on the far side, then the "
                            + "group it is sent as here");
            return;
        }
        IpAddress[] pair = new IpAddress[2];
        for (int i = 0; i < 2; i++) {
            try {
                pair[i] = IpAddress.parse(args.get(i));
            } catch (IllegalArgumentException e) {
                problems.error(line.number(), "remap: '" + args.get(i) + "' is not an IPv4 or IPv6 address");
                return;
            }
            if (!pair[i].isMulticast() || pair[i].isLinkLocalMulticast()) {
                problems.error(
                        line.number(),
                        "remap: " + pair[i] + " is not a routable multicast group "
                                + (pair[i].family() == IpFamily.IPV4
                                        ? "(224.0.1.0 to 239.255.255.255)"
                                        : "(ff00::/8 beyond link-local scope: not ff00::/16, ff01::/16, ff02::/16)"));
                return;
            }
        }
        if (pair[0].family() != pair[1].family()) {
            // A datagram keeps its IP version through the tunnel: an IPv4 stream cannot be sent as an IPv6 group.
            problems.error(
                    line.number(),
                    "remap: " + pair[0] + " and " + pair[1] + " are of different families (remap within IPv4 or"
                            + " within IPv6)");
            return;
        }
        t.remaps.add(new Sourced<>(pair, line.number()));
    }

    /** ADDR:PORT; returns {Ip4, Integer} or null after reporting. */
    private Object[] addressAndPort(int n, String keyword, String text) {
        int colon = text.lastIndexOf(':');
        if (colon <= 0) {
            problems.error(n, keyword + ": write ADDRESS:PORT, not '" + text + "'");
            return null;
        }
        Ip4 address;
        try {
            address = Ip4.parse(text.substring(0, colon));
        } catch (IllegalArgumentException e) {
            problems.error(n, keyword + ": '" + text.substring(0, colon) + "' is not an IPv4 address");
            return null;
        }
        Integer port = values.integer(n, keyword + " port", text.substring(colon + 1), 1, 65535);
        return port == null ? null : new Object[] {address, port};
    }

    /**
     * The key file (an absolute path or credential:NAME) must pass {@link TunnelKeyFile#check}; a file others can read
     * is worth a warning. Group read is the advice (root:mcgate 0640), so that User=mcgate can read a root-owned key.
     */
    private void keyFile(int n, String text, ConfigDraft.Tunnel t) {
        Path path;
        try {
            path = KeyFileLocation.resolve(text, credentialsDirectory);
        } catch (IllegalArgumentException e) {
            problems.error(n, e.getMessage());
            return;
        }
        try {
            TunnelKeyFile.check(path);
        } catch (IOException e) {
            problems.error(n, "key-file " + text + ": " + e.getMessage());
            return;
        }
        if (ReadableByOthers.check(path, LinkOption.NOFOLLOW_LINKS)) {
            problems.warn(
                    n,
                    "key-file " + text + " can be read by any user: chown root:mcgate " + path + " && chmod 640 "
                            + path);
        }
        t.keyFile = new Sourced<>(path, n);
    }
}
