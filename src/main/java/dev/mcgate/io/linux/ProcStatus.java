package dev.mcgate.io.linux;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The credentials of a thread as {@code /proc/.../status} shows them: user and group ids, supplementary groups, the
 * effective and permitted capability sets and the no_new_privs flag.
 *
 * <p>Capabilities are per thread. {@code /proc/self/status} describes the process's first thread, which in a JVM is
 * the launcher's, not the thread running mcgate: read {@code /proc/thread-self/status} for the calling thread.
 */
public record ProcStatus(
        List<Integer> uids,
        List<Integer> gids,
        List<Integer> groups,
        long capEff,
        long capPrm,
        long capBnd,
        boolean noNewPrivs) {

    public ProcStatus {
        uids = List.copyOf(uids);
        gids = List.copyOf(gids);
        groups = List.copyOf(groups);
    }

    /** The status file of thread {@code tid} of process {@code pid}. */
    public static ProcStatus ofThread(long pid, long tid) throws IOException {
        return parse(Files.readString(Path.of("/proc/" + pid + "/task/" + tid + "/status")));
    }

    /** The calling thread's. */
    public static ProcStatus currentThread() throws IOException {
        return parse(Files.readString(Path.of("/proc/thread-self/status")));
    }

    /** Parses the text of a status file; lines it does not need are ignored. */
    public static ProcStatus parse(String text) throws IOException {
        List<Integer> uids = null;
        List<Integer> gids = null;
        List<Integer> groups = List.of();
        boolean noNewPrivs = false;
        Long eff = null;
        Long prm = null;
        long bnd = -1;
        for (String line : text.split("\n")) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String key = line.substring(0, colon);
            String value = line.substring(colon + 1).strip();
            try {
                switch (key) {
                    case "Uid" -> uids = ids(value);
                    case "Gid" -> gids = ids(value);
                    case "Groups" -> groups = ids(value);
                    case "NoNewPrivs" -> noNewPrivs = value.equals("1");
                    case "CapEff" -> eff = Long.parseUnsignedLong(value, 16);
                    case "CapPrm" -> prm = Long.parseUnsignedLong(value, 16);
                    case "CapBnd" -> bnd = Long.parseUnsignedLong(value, 16);
                    default -> {
                        // not needed
                    }
                }
            } catch (NumberFormatException e) {
                throw new IOException("unreadable '" + key + "' line in a /proc status file: " + line);
            }
        }
        if (uids == null || gids == null || eff == null || prm == null) {
            throw new IOException("a /proc status file without Uid, Gid, CapEff and CapPrm lines");
        }
        return new ProcStatus(uids, gids, groups, eff, prm, bnd, noNewPrivs);
    }

    /** A whitespace-separated list of ids; an empty value (no supplementary groups) is an empty list. */
    private static List<Integer> ids(String value) {
        return value.isEmpty()
                ? List.of()
                : java.util.Arrays.stream(value.split("\\s+"))
                        .map(Integer::valueOf)
                        .toList();
    }

    /** The capabilities among {@code wanted} that are not in the effective set. */
    public Set<Capability> missing(Set<Capability> wanted) {
        Set<Capability> missing = EnumSet.noneOf(Capability.class);
        for (Capability c : wanted) {
            if ((capEff & c.bit()) == 0) {
                missing.add(c);
            }
        }
        return missing;
    }

    /** The effective set, if it holds only capabilities mcgate knows; the raw mask in hex otherwise. */
    public String describeEffective() {
        long rest = capEff;
        StringBuilder out = new StringBuilder();
        for (Capability c : Capability.values()) {
            if ((rest & c.bit()) != 0) {
                out.append(out.length() == 0 ? "" : " ").append(c.capName());
                rest &= ~c.bit();
            }
        }
        if (rest != 0) {
            out.append(out.length() == 0 ? "" : " ")
                    .append("and others (CapEff ")
                    .append(Long.toHexString(capEff))
                    .append(')');
        }
        return out.length() == 0 ? "none" : out.toString();
    }
}
