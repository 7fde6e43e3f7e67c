package dev.mcgate.lab;

import dev.mcgate.net.Ip4;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads mcgate's membership log lines ({@code down1: group 239.1.1.1 EX{} (was IN{})}, one per change: at INFO, or at
 * DEBUG beyond 50 a second, which {@link McgateUnderTest} turns on) and replays them: the last line per group says
 * whether it is held.
 */
final class LogMembershipProbe implements MembershipProbe {

    private static final Pattern LINE = Pattern.compile("(\\S+): group (\\d+\\.\\d+\\.\\d+\\.\\d+) (\\S+) \\(was ");

    private final Path log;

    LogMembershipProbe(Path log) {
        this.log = log;
    }

    @Override
    public Set<Ip4> joinedGroups(String downstream) throws LabException {
        try {
            return joinedGroups(Files.readAllLines(log), downstream);
        } catch (IOException e) {
            throw new LabException("cannot read mcgate's log " + log + ": " + e.getMessage());
        }
    }

    /** The replay itself, on the log's lines. */
    static Set<Ip4> joinedGroups(List<String> lines, String downstream) {
        Map<Ip4, Boolean> held = new HashMap<>();
        for (String line : lines) {
            Matcher m = LINE.matcher(line);
            if (m.find() && m.group(1).endsWith(downstream)) {
                // IN{} (an empty INCLUDE) is "no interest"; anything else is forwarded.
                held.put(Ip4.parse(m.group(2)), !m.group(3).equals("IN{}"));
            }
        }
        Set<Ip4> joined = new HashSet<>();
        held.forEach((g, h) -> {
            if (h) {
                joined.add(g);
            }
        });
        return joined;
    }
}
