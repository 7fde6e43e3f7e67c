package dev.mcgate.config;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads mcgate's own syntax into a {@link ConfigDraft}: global statements, one {@code defaults { }} block and
 * {@code interface NAME { }} blocks, one statement per line. See conf/mcgate.conf for the documented example.
 */
final class NativeParser {

    static final Set<String> GLOBAL_KEYWORDS = Set.of(
            "control-socket", "log-level", "unlisted-interfaces", "packet-io", "xdp-mode", "user", "metrics-listen");
    static final Set<String> INTERFACE_KEYWORDS = Set.of("role", "altnet", "upstream-groups");
    static final Set<String> ROLE_WORDS = Set.of("upstream", "downstream", "disabled");
    static final Set<String> LIST_KEYWORDS =
            Set.of("allow-group", "deny-group", "allow-source", "deny-source", "boundary", "altnet", "upstream-groups");

    private final Problems problems;
    private final ValueReader values;
    private final SettingStatements settings;
    private final TunnelStatements tunnelStatements;
    private final HttpRelayStatements httpStatements;
    private final KafkaStatements kafkaStatements;
    private final ConfigDraft draft = new ConfigDraft();

    /** The block being read: null at top level. */
    private Block block;

    private Integer defaultsLine;
    private final Map<String, Integer> globalsSeen = new HashMap<>();

    /** An open block; interface is null for the defaults block. */
    private static final class Block {
        final int line;
        final ConfigDraft.Interface iface;
        final ConfigDraft.Tunnel tunnel;
        final ConfigDraft.Kafka kafka;
        final Map<String, Integer> seen = new HashMap<>();

        Block(int line, ConfigDraft.Interface iface) {
            this(line, iface, null);
        }

        Block(int line, ConfigDraft.Interface iface, ConfigDraft.Tunnel tunnel) {
            this(line, iface, tunnel, null);
        }

        Block(int line, ConfigDraft.Interface iface, ConfigDraft.Tunnel tunnel, ConfigDraft.Kafka kafka) {
            this.line = line;
            this.iface = iface;
            this.tunnel = tunnel;
            this.kafka = kafka;
        }

        String describe() {
            return kafka != null
                    ? "the kafka block"
                    : tunnel != null
                            ? "tunnel " + tunnel.name
                            : iface == null ? "the defaults block" : "interface " + iface.name;
        }
    }

    NativeParser(Problems problems) {
        this.problems = problems;
        this.values = new ValueReader(problems);
        this.settings = new SettingStatements(values);
        this.tunnelStatements = new TunnelStatements(values);
        this.httpStatements = new HttpRelayStatements(values);
        this.kafkaStatements = new KafkaStatements(values);
    }

    ConfigDraft parse(ConfigLines.Text text) {
        draft.lastLine = text.lastLineNumber();
        for (ConfigLines.Line line : text.lines()) {
            if (line.keyword().equals("}")) {
                close(line);
            } else if (line.tokens().contains("{")) {
                open(line);
            } else if (line.tokens().contains("}")) {
                problems.error(line.number(), "'}' must stand on a line of its own");
                // "role upstream }" is read as a statement that closes the block, so that nothing follows from it.
                List<String> t = line.tokens();
                if (block != null && t.indexOf("}") == t.size() - 1) {
                    statement(new ConfigLines.Line(line.number(), t.subList(0, t.size() - 1)));
                    block = null;
                }
            } else if (block == null) {
                global(line);
            } else {
                statement(line);
            }
        }
        if (block != null) {
            problems.error(block.line, "the block of " + block.describe() + " opened here is not closed (missing '}')");
        }
        return draft;
    }

    private void close(ConfigLines.Line line) {
        if (line.tokens().size() > 1) {
            problems.error(line.number(), "'}' must stand on a line of its own");
        }
        if (block == null) {
            problems.error(line.number(), "'}' without an open block");
        }
        block = null;
    }

    private void open(ConfigLines.Line line) {
        if (block != null) {
            problems.error(
                    line.number(),
                    "'" + line.keyword() + "' inside " + block.describe() + " opened at line " + block.line
                            + ": a '}' is missing");
            block = null;
        }
        List<String> t = line.tokens();
        if (!t.get(t.size() - 1).equals("{") || t.indexOf("{") != t.size() - 1) {
            problems.error(line.number(), "'{' must end the line that opens a block");
        }
        // "interface eth2 { role disabled }" is reported once above; it must not also leave a block open.
        boolean closedOnSameLine = t.get(t.size() - 1).equals("}");
        String keyword = line.keyword();
        if (keyword.equals("defaults")) {
            if (t.size() != 2) {
                problems.error(line.number(), "write 'defaults {' to open the defaults block");
            }
            if (defaultsLine != null) {
                problems.error(line.number(), "the defaults block is already given at line " + defaultsLine);
            } else {
                defaultsLine = line.number();
            }
            // A second defaults block is still read (into the same draft) so that its own errors are found too.
            block = new Block(line.number(), null);
        } else if (keyword.equals("interface")) {
            String name = t.size() == 3 ? t.get(1) : null;
            boolean valid = false;
            if (t.size() == 4 && ROLE_WORDS.contains(t.get(2))) {
                problems.error(
                        line.number(),
                        "write 'interface " + t.get(1) + " {' and the role inside the block: 'role " + t.get(2) + "'");
                name = "?";
            } else if (name == null || name.equals("{")) {
                problems.error(line.number(), "write 'interface NAME {' to open an interface block");
                name = "?";
            } else if (!validInterfaceName(name)) {
                problems.error(
                        line.number(),
                        "'" + name + "' is not a valid interface name (1 to 15 characters, no '/', ':' or whitespace)");
            } else {
                valid = true;
            }
            ConfigDraft.Interface iface = new ConfigDraft.Interface(name, line.number());
            // A block with a bad header is still read for its own errors, but not kept (no follow-up errors).
            if (valid) {
                draft.interfaces.add(iface);
            }
            block = new Block(line.number(), iface);
        } else if (keyword.equals("tunnel")) {
            String name = t.size() == 3 ? t.get(1) : "?";
            ConfigDraft.Tunnel tunnel = new ConfigDraft.Tunnel(name, line.number());
            if (t.size() != 3 || name.equals("{")) {
                problems.error(line.number(), "write 'tunnel NAME {' to open a tunnel block");
            } else if (!validInterfaceName(name)) {
                problems.error(
                        line.number(),
                        "'" + name + "' is not a valid tunnel name (1 to 15 characters, no '/', ':' or whitespace)");
            } else {
                draft.tunnels.add(tunnel);
            }
            block = new Block(line.number(), null, tunnel);
        } else if (keyword.equals("kafka")) {
            if (t.size() != 2) {
                problems.error(line.number(), "write 'kafka {' to open the kafka block");
            }
            ConfigDraft.Kafka kafka = new ConfigDraft.Kafka(line.number());
            if (draft.kafka != null) {
                problems.error(line.number(), "the kafka block is already given at line " + draft.kafka.line);
            } else {
                draft.kafka = kafka;
            }
            // A second block is still read (and then dropped) so that its own errors are found too.
            block = new Block(line.number(), null, null, kafka);
        } else {
            problems.error(
                    line.number(),
                    "unknown block '" + keyword + "' (blocks are 'defaults', 'interface', 'tunnel' and 'kafka')");
            // Read the block anyway as an anonymous interface that is then dropped, to find errors inside it.
            block = new Block(line.number(), new ConfigDraft.Interface("?", line.number()));
        }
        if (closedOnSameLine) {
            block = null;
        }
    }

    /** Linux IFNAMSIZ is 16 with the terminating NUL; '/' and ':' (aliases) are not interface names. */
    static boolean validInterfaceName(String name) {
        return !name.isEmpty()
                && name.length() <= 15
                && name.chars().noneMatch(c -> c == '/' || c == ':')
                && !name.equals(".")
                && !name.equals("..");
    }

    private void global(ConfigLines.Line line) {
        String keyword = line.keyword();
        if (HttpRelayStatements.KEYWORDS.contains(keyword)) {
            httpStatements.apply(line, draft.http);
            return;
        }
        if (!GLOBAL_KEYWORDS.contains(keyword)) {
            if (SettingStatements.KEYWORDS.contains(keyword) || INTERFACE_KEYWORDS.contains(keyword)) {
                problems.error(line.number(), "'" + keyword + "' belongs inside a defaults or interface block");
            } else {
                problems.error(line.number(), "unknown keyword '" + keyword + "'");
            }
            return;
        }
        if (repeated(globalsSeen, line, "")) {
            return;
        }
        String value = values.single(line);
        if (value == null) {
            return;
        }
        switch (keyword) {
            case "control-socket" -> {
                if (!value.startsWith("/")) {
                    problems.error(line.number(), "control-socket must be an absolute path, not '" + value + "'");
                } else {
                    try {
                        draft.controlSocket = new Sourced<>(Path.of(value), line.number());
                    } catch (java.nio.file.InvalidPathException e) {
                        // A NUL in the file: found by ConfigParserFuzzTest, which saw it escape as an exception.
                        problems.error(line.number(), "control-socket is not a usable path: " + e.getReason());
                    }
                }
            }
            case "log-level" -> {
                try {
                    draft.logLevel = new Sourced<>(LogLevel.valueOf(value.toUpperCase(Locale.ROOT)), line.number());
                } catch (IllegalArgumentException e) {
                    problems.error(
                            line.number(),
                            "unknown log-level '" + value + "': must be error, warn, info, debug or trace");
                }
            }
            case "unlisted-interfaces" -> {
                if (value.equals("downstream") || value.equals("disabled")) {
                    draft.unlistedRole = new Sourced<>(Role.valueOf(value.toUpperCase(Locale.ROOT)), line.number());
                } else {
                    problems.error(
                            line.number(), "unlisted-interfaces must be downstream or disabled, not '" + value + "'");
                }
            }
            case "packet-io" -> {
                PacketIoEngine engine = PacketIoEngine.fromKeyword(value);
                if (engine == null) {
                    problems.error(
                            line.number(), "packet-io must be pcap, af-packet, af-xdp or nft, not '" + value + "'");
                } else {
                    draft.packetIo = new Sourced<>(engine, line.number());
                }
            }
            case "xdp-mode" -> {
                XdpMode mode = XdpMode.fromKeyword(value);
                if (mode == null) {
                    problems.error(line.number(), "xdp-mode must be auto, native or generic, not '" + value + "'");
                } else {
                    draft.xdpMode = new Sourced<>(mode, line.number());
                }
            }
            case "user" -> {
                if (validUserName(value)) {
                    draft.user = new Sourced<>(value, line.number());
                } else {
                    problems.error(
                            line.number(),
                            "user must be a user name (letters, digits, '_', '.', '-', at most "
                                    + "32, not all digits), not '" + value + "'");
                }
            }
            case "metrics-listen" ->
                ListenAddress.parse(value)
                        .ifPresentOrElse(
                                a -> draft.metricsListen = new Sourced<>(a, line.number()),
                                () -> problems.error(
                                        line.number(),
                                        "metrics-listen must be ADDRESS:PORT with an IP address "
                                                + "and a port 1..65535 (127.0.0.1:9310, [::1]:9310), not '" + value
                                                + "'"));
            default -> throw new IllegalStateException(keyword);
        }
    }

    /**
     * A name getpwnam(3) can look up: what useradd accepts, upper case too (some sites use it); all digits is refused
     * because it would read as a uid to most tools.
     */
    static boolean validUserName(String name) {
        return name.length() <= 32 && name.matches("[A-Za-z0-9_][A-Za-z0-9_.-]*[$]?") && !name.matches("[0-9]+");
    }

    private void statement(ConfigLines.Line line) {
        String keyword = line.keyword();
        if (block.kafka != null) {
            if (!KafkaStatements.KEYWORDS.contains(keyword)) {
                problems.error(
                        line.number(),
                        "unknown keyword '" + keyword + "' in the kafka block (one of "
                                + String.join(", ", new java.util.TreeSet<>(KafkaStatements.KEYWORDS)) + ")");
            } else if (KafkaStatements.REPEATABLE.contains(keyword)
                    || !repeated(block.seen, line, " in " + block.describe())) {
                kafkaStatements.apply(line, block.kafka);
            }
            return;
        }
        if (block.tunnel != null) {
            if (!TunnelStatements.KEYWORDS.contains(keyword)) {
                problems.error(
                        line.number(),
                        "unknown keyword '" + keyword + "' in " + block.describe() + " (one of "
                                + String.join(", ", new java.util.TreeSet<>(TunnelStatements.KEYWORDS)) + ")");
            } else if (keyword.equals("remap") || !repeated(block.seen, line, " in " + block.describe())) {
                tunnelStatements.apply(line, block.tunnel);
            }
            return;
        }
        boolean inInterface = block.iface != null;
        if (SettingStatements.KEYWORDS.contains(keyword)) {
            if (!repeated(block.seen, line, " in " + block.describe())) {
                settings.apply(line, inInterface ? block.iface.settings : draft.defaults);
            }
        } else if (INTERFACE_KEYWORDS.contains(keyword)) {
            if (!inInterface) {
                problems.error(line.number(), "'" + keyword + "' is only allowed in an interface block");
            } else if (!repeated(block.seen, line, " in " + block.describe())) {
                interfaceStatement(line, block.iface);
            }
        } else if (GLOBAL_KEYWORDS.contains(keyword) || HttpRelayStatements.KEYWORDS.contains(keyword)) {
            problems.error(line.number(), "'" + keyword + "' is a global setting; write it outside any block");
        } else {
            problems.error(line.number(), "unknown keyword '" + keyword + "' in " + block.describe());
        }
    }

    private void interfaceStatement(ConfigLines.Line line, ConfigDraft.Interface iface) {
        int n = line.number();
        switch (line.keyword()) {
            case "role" -> {
                String value = values.single(line);
                if (value == null) {
                    return;
                }
                try {
                    iface.role = new Sourced<>(Role.valueOf(value.toUpperCase(Locale.ROOT)), n);
                } catch (IllegalArgumentException e) {
                    problems.error(n, "unknown role '" + value + "': must be upstream, downstream or disabled");
                }
            }
            case "altnet" -> {
                List<String> args = values.some(line);
                if (args != null) {
                    values.prefixes(n, "altnet", args).forEach(p -> iface.altnets.add(new Sourced<>(p, n)));
                }
            }
            case "upstream-groups" -> {
                List<String> args = values.some(line);
                if (args != null) {
                    values.groupPrefixes(n, "upstream-groups", args)
                            .forEach(p -> iface.upstreamGroups.add(new Sourced<>(p, n)));
                }
            }
            default -> throw new IllegalStateException(line.keyword());
        }
    }

    /** A single-valued statement written twice in one block is an error; lists may be written on several lines. */
    private boolean repeated(Map<String, Integer> seen, ConfigLines.Line line, String where) {
        String keyword = line.keyword();
        if (LIST_KEYWORDS.contains(keyword)) {
            return false;
        }
        Integer first = seen.putIfAbsent(keyword, line.number());
        if (first != null) {
            problems.error(line.number(), "'" + keyword + "' is already set at line " + first + where);
            return true;
        }
        return false;
    }
}
