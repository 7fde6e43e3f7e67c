package dev.mcgate.config;

import java.util.List;
import java.util.Set;

/**
 * Reads an unchanged igmpproxy.conf into a {@link ConfigDraft}.
 *
 * <p>igmpproxy reads a stream of tokens: {@code phyint IF ROLE [ratelimit N] [threshold N]} and the
 * {@code altnet}/{@code whitelist}/{@code blacklist} statements after it, on the same line or on the lines that
 * follow, belong to that phyint until the next global keyword. Mapping: threshold is the TTL threshold; whitelist
 * and blacklist are the interface's group allow and deny lists; quickleave is fast leave on every downstream;
 * defaultdown makes interfaces the file does not name downstream. igmpproxy's own timers are not configurable there,
 * so the IGMP settings are the RFC 3376 defaults. Options with no meaning for mcgate are accepted with a warning.
 *
 * <p>igmpproxy is IPv4-only, and so are its files: every interface of one runs IPv4 only, and an IPv6 prefix in one is
 * an error (IPv6 is configured in mcgate's own format).
 */
final class IgmpproxyParser {

    /** Keywords that only igmpproxy.conf has; {@link ConfigLoader#detect} recognises the format by them. */
    static final Set<String> KEYWORDS = Set.of(
            "quickleave",
            "phyint",
            "defaultdown",
            "rescanvif",
            "chroot",
            "user",
            "hashtablesize",
            "altnet",
            "whitelist",
            "blacklist");

    private final Problems problems;
    private final ValueReader values;
    private final SettingStatements settings;
    private final ConfigDraft draft = new ConfigDraft();
    private ConfigDraft.Interface phyint;
    private int quickleaveLine;

    /** Walks the tokens of one line; a statement's values must be on its own line. */
    private static final class Cursor {
        final ConfigLines.Line line;
        int next;

        Cursor(ConfigLines.Line line) {
            this.line = line;
        }

        boolean hasNext() {
            return next < line.tokens().size();
        }

        String peek() {
            return line.tokens().get(next);
        }

        String next() {
            return line.tokens().get(next++);
        }
    }

    IgmpproxyParser(Problems problems) {
        this.problems = problems;
        this.values = ValueReader.ipv4Only(problems);
        this.settings = new SettingStatements(values);
    }

    ConfigDraft parse(ConfigLines.Text text) {
        draft.lastLine = text.lastLineNumber();
        // Not written in the file (line 0): an igmpproxy setup is IPv4-only, whatever addresses its interfaces have.
        draft.defaults.ipv6 = new Sourced<>(false, 0);
        for (ConfigLines.Line line : text.lines()) {
            Cursor c = new Cursor(line);
            while (c.hasNext()) {
                if (!statement(c)) {
                    break;
                }
            }
        }
        endPhyint();
        applyQuickleave();
        return draft;
    }

    /** Reads one statement; false if the rest of the line is to be skipped after an unknown keyword. */
    private boolean statement(Cursor c) {
        int n = c.line.number();
        String keyword = c.next();
        switch (keyword) {
            case "phyint" -> {
                endPhyint();
                phyint(c);
            }
            case "quickleave" -> {
                endPhyint();
                quickleaveLine = n;
            }
            case "defaultdown" -> {
                endPhyint();
                draft.unlistedRole = new Sourced<>(Role.DOWNSTREAM, n);
            }
            case "rescanvif" -> {
                endPhyint();
                // The interval is optional in igmpproxy.
                if (c.hasNext() && ValueReader.parseInt(c.peek()) != null) {
                    c.next();
                }
                problems.warn(
                        n,
                        "rescanvif is ignored: mcgate follows interface changes as the kernel reports "
                                + "them, no periodic rescan is needed");
            }
            case "chroot" -> {
                endPhyint();
                if (argument(c, keyword) != null) {
                    problems.warn(
                            n,
                            "chroot is ignored: confine mcgate with its systemd unit instead "
                                    + "(RootDirectory=, ProtectSystem=strict)");
                }
            }
            case "user" -> {
                endPhyint();
                if (argument(c, keyword) != null) {
                    problems.warn(
                            n,
                            "user is ignored: give it as 'mcgate run --user NAME' (or 'user NAME' in "
                                    + "mcgate's own format), or set User= in its systemd unit");
                }
            }
            case "hashtablesize" -> {
                endPhyint();
                String text = argument(c, keyword);
                if (text != null && values.integer(n, keyword, text, 1, Integer.MAX_VALUE) != null) {
                    problems.warn(
                            n,
                            "hashtablesize is ignored: mcgate tracks the members of each group exactly, "
                                    + "in tables that grow as needed");
                }
            }
            case "upstream", "downstream", "disabled", "ratelimit", "threshold", "altnet", "whitelist", "blacklist" -> {
                if (phyint == null) {
                    problems.error(
                            n,
                            "'" + keyword + "' must follow a 'phyint NAME' line (it belongs to the "
                                    + "phyint above it)");
                    return false;
                }
                phyintOption(c, keyword);
            }
            default -> {
                problems.error(n, "unknown keyword '" + keyword + "'");
                return false;
            }
        }
        return true;
    }

    private void phyint(Cursor c) {
        int n = c.line.number();
        if (!c.hasNext()) {
            problems.error(n, "missing value for 'phyint': write 'phyint NAME upstream|downstream|disabled'");
            return;
        }
        String name = c.next();
        if (!NativeParser.validInterfaceName(name)) {
            problems.error(
                    n, "'" + name + "' is not a valid interface name (1 to 15 characters, no '/', ':' or whitespace)");
        }
        phyint = new ConfigDraft.Interface(name, n);
        draft.interfaces.add(phyint);
    }

    private void phyintOption(Cursor c, String keyword) {
        int n = c.line.number();
        switch (keyword) {
            case "upstream", "downstream", "disabled" -> {
                Role role = Role.valueOf(keyword.toUpperCase(java.util.Locale.ROOT));
                if (phyint.role != null) {
                    problems.error(
                            n,
                            "phyint " + phyint.name + " is given two roles: "
                                    + phyint.role.value().keyword() + " and " + keyword);
                } else {
                    phyint.role = new Sourced<>(role, n);
                }
            }
            case "ratelimit" -> {
                String text = argument(c, keyword);
                if (text != null && values.integer(n, keyword, text, 0, Integer.MAX_VALUE) != null) {
                    problems.warn(
                            n,
                            "ratelimit is ignored: mcgate does not rate-limit forwarded traffic "
                                    + "(igmpproxy accepts it but ignores it as well)");
                }
            }
            case "threshold" -> {
                Integer ttl = settings.ttlThreshold(n, keyword, argument(c, keyword));
                if (ttl != null) {
                    phyint.settings.ttlThreshold = new Sourced<>(ttl, n);
                }
            }
            case "altnet" -> {
                String text = argument(c, keyword);
                if (text != null) {
                    values.prefixes(n, keyword, List.of(text)).forEach(p -> phyint.altnets.add(new Sourced<>(p, n)));
                }
            }
            case "whitelist" -> {
                String text = argument(c, keyword);
                if (text != null) {
                    phyint.settings.allowGroups = ConfigDraft.append(
                            phyint.settings.allowGroups, values.groupPrefixes(n, keyword, List.of(text)), n);
                }
            }
            case "blacklist" -> {
                String text = argument(c, keyword);
                if (text != null) {
                    phyint.settings.denyGroups = ConfigDraft.append(
                            phyint.settings.denyGroups, values.groupPrefixes(n, keyword, List.of(text)), n);
                }
            }
            default -> throw new IllegalStateException(keyword);
        }
    }

    private String argument(Cursor c, String keyword) {
        if (!c.hasNext()) {
            problems.error(c.line.number(), "missing value for '" + keyword + "'");
            return null;
        }
        return c.next();
    }

    /** A phyint ends at the next global keyword; a missing role is reported by the resolver, as for native. */
    private void endPhyint() {
        phyint = null;
    }

    /** quickleave: fast leave on every downstream, including the ones defaultdown adds; never on the upstream. */
    private void applyQuickleave() {
        if (quickleaveLine == 0) {
            return;
        }
        draft.defaults.fastLeave = new Sourced<>(true, quickleaveLine);
        for (ConfigDraft.Interface i : draft.interfaces) {
            boolean downstream = i.role != null && i.role.value() == Role.DOWNSTREAM;
            i.settings.fastLeave = new Sourced<>(downstream, quickleaveLine);
        }
    }
}
