package dev.mcgate.lab;

import dev.mcgate.control.ControlClient;
import dev.mcgate.control.ControlRequest;
import dev.mcgate.control.ControlResponse;
import dev.mcgate.control.MiniJson;
import dev.mcgate.net.Ip4;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Asks a running mcgate what it holds, through its control socket ({@code groups --json}, {@code status --json}), so
 * that the lab and the tests depend on the control protocol's documented schema and not on the wording of log lines.
 *
 * <p>The socket is a path in the file system: it answers from any network namespace, so the lab asks the daemon it
 * runs in the router namespace from its own.
 */
public final class ControlSocketProbe {

    /** Generous: a daemon absorbing thousands of reports a second still answers, only later. */
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final Path socket;

    public ControlSocketProbe(Path socket) {
        this.socket = socket;
    }

    public Path socket() {
        return socket;
    }

    /** A downstream's querier as mcgate sees it (RFC 3376 §6.6.2). */
    public record Querier(boolean thisRouter, String address) {}

    /**
     * The groups mcgate forwards to {@code downstream} now: every group record but an INCLUDE with no source, which
     * is no interest (RFC 3376 §6.2.1).
     *
     * @throws LabException when mcgate does not answer, or answers that the interface is not open
     */
    public Set<Ip4> joinedGroups(String downstream) throws LabException {
        return joinedGroups(ask("groups", Optional.of(downstream)), downstream);
    }

    /** The groups mcgate reports on {@code upstream} (RFC 4605 §4.1: the merged membership), in any filter mode. */
    public Set<Ip4> upstreamGroups(String upstream) throws LabException {
        return upstreamGroups(ask("groups", Optional.of(upstream)), upstream);
    }

    /**
     * What {@code mcgate COMMAND} prints (status, groups, ...): the daemon's text answer, for showing an operator.
     *
     * @throws LabException when mcgate does not answer
     */
    public String text(String command) throws LabException {
        try {
            return ControlClient.exchange(socket, new ControlRequest(false, command, Optional.empty()), TIMEOUT)
                    .body();
        } catch (ControlClient.UnavailableException e) {
            throw new LabException(e.getMessage());
        }
    }

    /** {@code status --json}, parsed ({@link MiniJson}): for figures the other methods do not pick out. */
    public Object status() throws LabException {
        return ask("status", Optional.empty());
    }

    /** Each configured interface's state: open, present (not opened) or pending (absent). */
    public Map<String, String> interfaceStates() throws LabException {
        return interfaceStates(ask("status", Optional.empty()));
    }

    /** The querier on an interface, if it has an IGMP side that knows one. */
    public Optional<Querier> querier(String interfaceName) throws LabException {
        return querier(ask("status", Optional.empty()), interfaceName);
    }

    /**
     * Whether every configured interface is open and has its IGMP side (a querier on a downstream, the host side on an
     * upstream): from then on a report sent to it is taken, which is what a probe waits for after the start.
     */
    public boolean ready() throws LabException {
        return ready(ask("status", Optional.empty()));
    }

    /**
     * Waits until {@link #ready} (asked every 50 ms), the daemon's process ends or the timeout passes.
     *
     * @return empty once ready, else why not: the process's exit, or the last answer (or failure to answer) seen
     */
    public Optional<String> awaitReady(Process daemon, long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
        String last = "no answer on " + socket;
        while (System.nanoTime() < deadline) {
            if (!daemon.isAlive()) {
                return Optional.of("it exited with " + daemon.exitValue());
            }
            try {
                if (ready()) {
                    return Optional.empty();
                }
                last = "interfaces " + interfaceStates();
            } catch (LabException e) {
                // The socket comes up a moment after the process, and a loaded daemon may answer late.
                last = e.getMessage();
            }
            Thread.sleep(50);
        }
        return Optional.of("not ready within " + timeoutMillis + " ms: " + last);
    }

    static Set<Ip4> joinedGroups(Object groupsDocument, String downstream) {
        Set<Ip4> joined = new HashSet<>();
        for (Map<String, Object> group : groupsOf(groupsDocument, "downstreams", downstream)) {
            boolean emptyInclude = "include".equals(group.get("filter_mode"))
                    && MiniJson.array(group.get("sources")).isEmpty();
            if (!emptyInclude) {
                joined.add(Ip4.parse((String) group.get("group")));
            }
        }
        return joined;
    }

    static Set<Ip4> upstreamGroups(Object groupsDocument, String upstream) {
        Set<Ip4> reported = new HashSet<>();
        for (Map<String, Object> group : groupsOf(groupsDocument, "upstreams", upstream)) {
            reported.add(Ip4.parse((String) group.get("group")));
        }
        return reported;
    }

    static Map<String, String> interfaceStates(Object statusDocument) {
        Map<String, String> states = new LinkedHashMap<>();
        for (Object i : MiniJson.array(MiniJson.at(statusDocument, "interfaces"))) {
            states.put((String) MiniJson.object(i).get("name"), (String)
                    MiniJson.object(i).get("state"));
        }
        return states;
    }

    static Optional<Querier> querier(Object statusDocument, String interfaceName) {
        for (Object i : MiniJson.array(MiniJson.at(statusDocument, "interfaces"))) {
            Map<String, Object> entry = MiniJson.object(i);
            if (interfaceName.equals(entry.get("name")) && entry.get("querier") != null) {
                Map<String, Object> q = MiniJson.object(entry.get("querier"));
                // An upstream that has heard no querier yet has none to name.
                return q.get("address") == null
                        ? Optional.empty()
                        : Optional.of(new Querier((Boolean) q.get("this_router"), (String) q.get("address")));
            }
        }
        return Optional.empty();
    }

    static boolean ready(Object statusDocument) {
        List<Object> interfaces = MiniJson.array(MiniJson.at(statusDocument, "interfaces"));
        return !interfaces.isEmpty()
                && interfaces.stream()
                        .map(MiniJson::object)
                        .allMatch(i -> "open".equals(i.get("state")) && i.get("querier") != null);
    }

    /** The group records of one interface in a groups document (none if it is not listed there). */
    private static List<Map<String, Object>> groupsOf(Object groupsDocument, String side, String interfaceName) {
        for (Object i : MiniJson.array(MiniJson.at(groupsDocument, side))) {
            Map<String, Object> entry = MiniJson.object(i);
            // The IGMP side: this probe reads IPv4 groups (a dual-stack interface lists an MLD side too; an entry
            // without a protocol comes from a daemon that knew only IGMP).
            if (interfaceName.equals(entry.get("interface")) && !"mld".equals(entry.get("protocol"))) {
                return MiniJson.array(entry.get("groups")).stream()
                        .map(MiniJson::object)
                        .toList();
            }
        }
        return List.of();
    }

    private Object ask(String command, Optional<String> argument) throws LabException {
        ControlResponse response;
        try {
            response = ControlClient.exchange(socket, new ControlRequest(true, command, argument), TIMEOUT);
        } catch (ControlClient.UnavailableException e) {
            throw new LabException(e.getMessage());
        }
        Object document;
        try {
            document = MiniJson.parse(response.body());
        } catch (IllegalArgumentException e) {
            throw new LabException(
                    "mcgate on " + socket + " answered " + command + " with no JSON document (" + e.getMessage() + ")");
        }
        if (response.exitCode() != ControlResponse.OK) {
            throw new LabException("mcgate on " + socket + ": " + command
                    + argument.map(a -> " " + a).orElse("") + ": "
                    + MiniJson.object(document).get("error"));
        }
        return document;
    }
}
