package dev.mcgate.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mcgate.config.ConfigLoader;
import dev.mcgate.config.Format;
import dev.mcgate.config.TunnelConfig;
import dev.mcgate.daemon.TunnelPlan.Action;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which tunnel changes a reload makes in place, which close and reopen the tunnel, and that no change does nothing. */
class TunnelPlanTest {

    @TempDir
    static Path dir;

    private static final byte[] KEY = key(1);
    private static final String BLOCK = """
            defaults {
                ttl-threshold 1
            }
            tunnel exch {
                role upstream
                local 10.9.2.1:7400
                peer 10.9.1.1:7400
                key-file /etc/mcgate/tunnel.key
                keepalive 500ms
                dead-interval 2s
                mtu 1500
                ttl 8
                remap 239.100.0.1 239.1.1.1
            }
            """;

    private static byte[] key(int seed) {
        byte[] k = new byte[32];
        k[0] = (byte) seed;
        return k;
    }

    /** The block with one line replaced; the parser fills defaults as a reload would read them. */
    private TunnelConfig tunnel(String from, String to) throws Exception {
        return parse(BLOCK.replace(from, to));
    }

    /** The parser checks that the key files exist; the plan itself is given the keys, as the caller reads them. */
    private TunnelConfig parse(String text) throws Exception {
        for (String name : List.of("tunnel.key", "new.key")) {
            Files.writeString(dir.resolve(name), Base64.getEncoder().encodeToString(new byte[32]));
        }
        return ConfigLoader.parse(text.replace("/etc/mcgate/", dir + "/"), "t.conf", Format.NATIVE)
                .config()
                .tunnel("exch")
                .orElseThrow();
    }

    private TunnelPlan plan(String from, String to) throws Exception {
        return TunnelPlan.between(tunnel("", ""), KEY, tunnel(from, to), KEY.clone());
    }

    @Test
    void theSameBlockAndKeyIsNoChange() throws Exception {
        assertEquals(new TunnelPlan(Action.NONE, List.of()), plan("", ""));
    }

    @ParameterizedTest(name = "{0} -> {1}: in place")
    @CsvSource(
            delimiter = '|',
            value = {
                "keepalive 500ms | keepalive 1s      | keepalive 500ms -> 1s",
                "dead-interval 2s | dead-interval 10s | dead-interval 2s -> 10s",
                "mtu 1500 | mtu 1400                | mtu 1500 -> 1400",
                "ttl 8 | ttl 16                     | ttl 8 -> 16",
                "ttl 8 | ttl keep                   | ttl 8 -> keep",
                "remap 239.100.0.1 239.1.1.1 | remap 239.100.0.1 239.2.2.2 | remap {239.100.0.1=239.1.1.1} -> {239.100.0.1=239.2.2.2}",
                "ttl-threshold 1 | ttl-threshold 4  | ttl-threshold 1 -> 4",
            })
    void settingsBesideTheSessionChangeInPlace(String from, String to, String line) throws Exception {
        assertEquals(new TunnelPlan(Action.IN_PLACE, List.of(line)), plan(from, to));
    }

    @ParameterizedTest(name = "{0} -> {1}: reopen")
    @CsvSource(
            delimiter = '|',
            value = {
                "local 10.9.2.1:7400 | local 10.9.2.2:7400 | local 10.9.2.1:7400 -> 10.9.2.2:7400",
                "local 10.9.2.1:7400 | local 10.9.2.1:7401 | local 10.9.2.1:7400 -> 10.9.2.1:7401",
                "peer 10.9.1.1:7400 | peer 10.9.1.2:7400 | peer 10.9.1.1:7400 -> 10.9.1.2:7400",
            })
    void settingsThatDefineTheSessionReopen(String from, String to, String line) throws Exception {
        TunnelPlan p = plan(from, to);
        assertEquals(Action.REOPEN, p.action(), p.toString());
        assertEquals(line, p.changes().get(0));
    }

    @Test
    void anotherRoleReopens() throws Exception {
        // ttl and remap belong to the receiving side only: a block both roles can have.
        String plain = "interface eth0 {\n    role upstream\n}\ninterface eth1 {\n    role downstream\n}\n"
                + BLOCK.replace("    ttl 8\n", "").replace("    remap 239.100.0.1 239.1.1.1\n", "");
        assertEquals(
                new TunnelPlan(Action.REOPEN, List.of("role upstream -> downstream")),
                TunnelPlan.between(
                        parse(plain),
                        KEY,
                        parse(plain.replace("role upstream\n    local", "role downstream\n    local")),
                        KEY.clone()));
    }

    @Test
    void anotherKeyUnderTheSamePathReopens() throws Exception {
        TunnelConfig t = tunnel("", "");
        assertEquals(
                new TunnelPlan(Action.REOPEN, List.of("key-file " + dir + "/tunnel.key: another key")),
                TunnelPlan.between(t, KEY, t, key(2)));
    }

    @Test
    void anotherPathIsInPlaceWithTheSameKeyAndReopensWithAnother() throws Exception {
        TunnelConfig moved = tunnel("/etc/mcgate/tunnel.key", "/etc/mcgate/new.key");
        assertEquals(
                new TunnelPlan(
                        Action.IN_PLACE, List.of("key-file " + dir + "/tunnel.key -> " + dir + "/new.key (same key)")),
                TunnelPlan.between(tunnel("", ""), KEY, moved, KEY.clone()));
        assertEquals(
                new TunnelPlan(
                        Action.REOPEN, List.of("key-file " + dir + "/tunnel.key -> " + dir + "/new.key, another key")),
                TunnelPlan.between(tunnel("", ""), KEY, moved, key(3)));
    }

    @Test
    void anUnreadableKeyKeepsTheRunningOne() throws Exception {
        TunnelConfig t = tunnel("", "");
        assertEquals(new TunnelPlan(Action.NONE, List.of()), TunnelPlan.between(t, KEY, t, null));
        assertEquals(
                new TunnelPlan(Action.IN_PLACE, List.of("ttl 8 -> 9")),
                TunnelPlan.between(t, KEY, tunnel("ttl 8", "ttl 9"), null));
    }

    @Test
    void aReopenListsTheInPlaceChangesThatComeWithIt() throws Exception {
        TunnelConfig both =
                parse(BLOCK.replace("peer 10.9.1.1:7400", "peer 10.9.1.9:7400").replace("ttl 8", "ttl 9"));
        assertEquals(
                new TunnelPlan(Action.REOPEN, List.of("peer 10.9.1.1:7400 -> 10.9.1.9:7400", "ttl 8 -> 9")),
                TunnelPlan.between(tunnel("", ""), KEY, both, KEY.clone()));
    }
}
