package dev.mcgate.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every kind of mistake gets its own FILE:LINE message, at the right line, and all of a file's errors are listed. */
public class ConfigErrorsTest {

    /** A valid native file with a place (line 6, inside the downstream block) for one bad statement. */
    private static String withDownstreamLine(String statement) {
        return """
                interface up0 {
                    role upstream
                }
                interface down0 {
                    role downstream
                    %s
                }
                """.formatted(statement);
    }

    public static Stream<Arguments> nativeMistakes() {
        return Stream.of(
                Arguments.of(
                        withDownstreamLine("query-response-interval 125s"),
                        "t.conf:6: query-response-interval 125s must be less than query-interval 125s on interface "
                                + "down0 (RFC 3376 §8.3)"),
                Arguments.of(
                        withDownstreamLine("robustness 0"),
                        "t.conf:6: robustness must not be 0 (RFC 3376 §8.1: the Robustness Variable MUST NOT be "
                                + "zero)"),
                Arguments.of(withDownstreamLine("robustness 8"), "t.conf:6: robustness 8 is out of range 1..7"),
                Arguments.of(
                        withDownstreamLine("altnet 10.1.2.3/8"),
                        "t.conf:6: altnet: 10.1.2.3/8 has host bits set (did you mean 10.0.0.0/8?)"),
                Arguments.of(withDownstreamLine("altnet 10.1.2"), "t.conf:6: altnet: not an IPv4 address: '10.1.2'"),
                Arguments.of(
                        withDownstreamLine("frobnicate yes"),
                        "t.conf:6: unknown keyword 'frobnicate' in interface down0"),
                Arguments.of(withDownstreamLine("query-interval"), "t.conf:6: missing value for 'query-interval'"),
                Arguments.of(
                        withDownstreamLine("query-interval 1 2"),
                        "t.conf:6: too many values for 'query-interval': expected one, got 1 2"),
                Arguments.of(
                        withDownstreamLine("query-interval 40000s"),
                        "t.conf:6: query-interval 40000s is out of range 1s..31744s"),
                Arguments.of(
                        withDownstreamLine("query-interval 12x"),
                        "t.conf:6: query-interval: '12x' is not a duration (write e.g. 125, 125s, 1.5s, 100ms)"),
                Arguments.of(
                        withDownstreamLine("query-interval 1.5s"),
                        "t.conf:6: query-interval 1.5s is not a whole number of seconds (QQIC carries seconds, "
                                + "RFC 3376 §4.1.7)"),
                Arguments.of(
                        withDownstreamLine("last-member-query-interval 150ms"),
                        "t.conf:6: last-member-query-interval 150ms is not a multiple of 100ms (Max Resp Code counts "
                                + "tenths of a second)"),
                Arguments.of(
                        withDownstreamLine("last-member-query-count 0"),
                        "t.conf:6: last-member-query-count 0 is out of range 1..255"),
                Arguments.of(
                        withDownstreamLine("startup-query-count many"),
                        "t.conf:6: startup-query-count: 'many' is not a whole number"),
                Arguments.of(
                        withDownstreamLine("igmp-version 4"),
                        "t.conf:6: igmp-version 4 is not supported: must be 1, 2 or 3"),
                Arguments.of(
                        withDownstreamLine("igmp-version 0"),
                        "t.conf:6: igmp-version 0 is not supported: must be 1, 2 or 3"),
                Arguments.of(
                        withDownstreamLine("allow-group 10.0.0.0/8"),
                        "t.conf:6: allow-group 10.0.0.0/8 is not a multicast group range (groups are in 224.0.0.0/4)"),
                Arguments.of(
                        withDownstreamLine("boundary 0.0.0.0/0"),
                        "t.conf:6: boundary 0.0.0.0/0 is not a multicast group range (groups are in 224.0.0.0/4)"),
                Arguments.of(
                        withDownstreamLine("deny-source 239.0.0.0/8"),
                        "t.conf:6: deny-source 239.0.0.0/8 is a multicast range; sources are unicast addresses"),
                Arguments.of(withDownstreamLine("ttl-threshold 0"), "t.conf:6: ttl-threshold 0 is out of range 1..255"),
                Arguments.of(
                        withDownstreamLine("ttl-threshold 256"), "t.conf:6: ttl-threshold 256 is out of range 1..255"),
                Arguments.of(withDownstreamLine("fast-leave maybe"), "t.conf:6: fast-leave: 'maybe' is not yes or no"),
                Arguments.of(
                        withDownstreamLine("role upstream"),
                        "t.conf:6: 'role' is already set at line 5 in interface down0"),
                Arguments.of(
                        withDownstreamLine("upstream-groups 239.1.0.0/16"),
                        "t.conf:6: upstream-groups is only allowed on an upstream interface (down0 is downstream)"),
                Arguments.of(
                        withDownstreamLine("deny-group none 239.1.1.1"),
                        "t.conf:6: deny-group: 'none' cannot be combined with prefixes"),
                Arguments.of(
                        withDownstreamLine("igmp-version 2\n    query-response-interval 30s"),
                        "t.conf:7: query-response-interval 30s cannot be sent in IGMPv2 on interface down0 (its Max "
                                + "Resp Time is at most 25.5s, RFC 2236 §2.2)"),
                Arguments.of(
                        withDownstreamLine("log-level debug"),
                        "t.conf:6: 'log-level' is a global setting; write it outside any block"),
                Arguments.of(
                        "robustness 3\n" + withDownstreamLine(""),
                        "t.conf:1: 'robustness' belongs inside a defaults or interface block"),
                Arguments.of(
                        "log-level loud\n" + withDownstreamLine(""),
                        "t.conf:1: unknown log-level 'loud': must be error, warn, info, debug or trace"),
                Arguments.of(
                        "control-socket run/x.sock\n" + withDownstreamLine(""),
                        "t.conf:1: control-socket must be an absolute path, not 'run/x.sock'"),
                Arguments.of(
                        "metrics-listen 9310\n" + withDownstreamLine(""),
                        "t.conf:1: metrics-listen must be ADDRESS:PORT with an IP address and a port 1..65535 "
                                + "(127.0.0.1:9310, [::1]:9310), not '9310'"),
                Arguments.of(
                        "metrics-listen localhost:9310\n" + withDownstreamLine(""),
                        "t.conf:1: metrics-listen must be ADDRESS:PORT with an IP address and a port 1..65535 "
                                + "(127.0.0.1:9310, [::1]:9310), not 'localhost:9310'"),
                Arguments.of(
                        "metrics-listen 127.0.0.1:65536\n" + withDownstreamLine(""),
                        "t.conf:1: metrics-listen must be ADDRESS:PORT with an IP address and a port 1..65535 "
                                + "(127.0.0.1:9310, [::1]:9310), not '127.0.0.1:65536'"),
                Arguments.of(
                        "metrics-listen 127.0.0.1:9310\nmetrics-listen 127.0.0.1:9311\n" + withDownstreamLine(""),
                        "t.conf:2: 'metrics-listen' is already set at line 1"),
                Arguments.of(
                        withDownstreamLine("metrics-listen 127.0.0.1:9310"),
                        "t.conf:6: 'metrics-listen' is a global setting; write it outside any block"),
                Arguments.of(
                        "unlisted-interfaces upstream\n" + withDownstreamLine(""),
                        "t.conf:1: unlisted-interfaces must be downstream or disabled, not 'upstream'"),
                Arguments.of(
                        "packet-io netmap\n" + withDownstreamLine(""),
                        "t.conf:1: packet-io must be pcap, af-packet, af-xdp or nft, not 'netmap'"),
                Arguments.of(
                        "xdp-mode offload\n" + withDownstreamLine(""),
                        "t.conf:1: xdp-mode must be auto, native or generic, not 'offload'"),
                Arguments.of(
                        withDownstreamLine("xdp-mode generic"),
                        "t.conf:6: 'xdp-mode' is a global setting; write it outside any block"),
                Arguments.of(
                        withDownstreamLine("packet-io af-packet"),
                        "t.conf:6: 'packet-io' is a global setting; write it outside any block"),
                Arguments.of("verbose yes\n" + withDownstreamLine(""), "t.conf:1: unknown keyword 'verbose'"),
                Arguments.of(
                        "user 1000\n" + withDownstreamLine(""),
                        "t.conf:1: user must be a user name (letters, "
                                + "digits, '_', '.', '-', at most 32, not all digits), not '1000'"),
                Arguments.of(
                        "user ../root\n" + withDownstreamLine(""),
                        "t.conf:1: user must be a user name (letters, "
                                + "digits, '_', '.', '-', at most 32, not all digits), not '../root'"),
                Arguments.of(
                        "user mcgate\nuser nobody\n" + withDownstreamLine(""),
                        "t.conf:2: 'user' is already set at line 1"),
                Arguments.of(
                        withDownstreamLine("user mcgate"),
                        "t.conf:6: 'user' is a global setting; write it outside any block"),
                Arguments.of(
                        "defaults {\n    altnet 10.0.0.0/8\n}\n" + withDownstreamLine(""),
                        "t.conf:2: 'altnet' is only allowed in an interface block"),
                // IPv6 (issue 17)
                Arguments.of(
                        withDownstreamLine("mld-version 3"),
                        "t.conf:6: mld-version 3 is not supported: must be 1 or 2"),
                Arguments.of(
                        withDownstreamLine("allow-group ff3e::1:0/96"),
                        "t.conf:6: allow-group: ff3e::1:0/96 has host bits set (did you mean ff3e::/96?)"),
                Arguments.of(
                        withDownstreamLine("altnet 2001:db8::1/64"),
                        "t.conf:6: altnet: 2001:db8::1/64 has host bits set (did you mean 2001:db8::/64?)"),
                Arguments.of(
                        withDownstreamLine("boundary 2001:db8::/32"),
                        "t.conf:6: boundary 2001:db8::/32 is not a multicast group range (groups are in ff00::/8)"),
                Arguments.of(
                        withDownstreamLine("deny-source ff05::/16"),
                        "t.conf:6: deny-source ff05::/16 is a multicast range; sources are unicast addresses"),
                Arguments.of(
                        withDownstreamLine("mld-robustness 0"),
                        "t.conf:6: mld-robustness must not be 0 (RFC 3376 §8.1: the Robustness Variable MUST NOT be "
                                + "zero)"),
                Arguments.of(
                        withDownstreamLine("mld-query-response-interval 125s"),
                        "t.conf:6: mld-query-response-interval 125s must be less than mld-query-interval 125s for MLD"
                                + " on interface down0 (RFC 3376 §8.3)"),
                Arguments.of(
                        "interface up0 {\n    role upstream\n}\ninterface down0 {\n    role downstream\n"
                                + "    ipv4 off\n    ipv6 off\n}\n",
                        "t.conf:7: ipv4 and ipv6 are both off in interface down0: it would run no address family "
                                + "(write 'role disabled' to leave an interface alone)"),
                Arguments.of(
                        "defaults {\n    ipv6 off\n}\n" + withDownstreamLine("ipv4 off"),
                        "t.conf:9: ipv4 and ipv6 are both off in interface down0: it would run no address family "
                                + "(write 'role disabled' to leave an interface alone)"),
                Arguments.of(
                        "defaults {\n    query-response-interval 70s\n    mld-version 1\n}\n" + withDownstreamLine(""),
                        "t.conf:3: mld-query-response-interval 70s cannot be sent in MLDv1 (its Maximum Response "
                                + "Delay is at most 65.535s, RFC 2710 §3.4)"));
    }

    @ParameterizedTest
    @MethodSource("nativeMistakes")
    void nativeMistakeHasItsOwnMessage(String text, String expected) {
        assertEquals(List.of(expected), messages(text, Format.NATIVE));
    }

    public static Stream<Arguments> conflicts() {
        return Stream.of(
                Arguments.of("""
                        interface eth0 {
                            role upstream
                        }
                        interface eth0 {
                            role upstream
                        }
                        interface eth1 {
                            role downstream
                        }
                        """, "t.conf:4: interface eth0 is already defined at line 1"),
                Arguments.of(
                        """
                        interface eth0 {
                            role upstream
                        }
                        interface eth1 {
                            role downstream
                        }
                        interface eth0 {
                            role downstream
                        }
                        """,
                        "t.conf:7: interface eth0 is already defined at line 1 as upstream; it cannot also be "
                                + "downstream"),
                Arguments.of("""
                        # only receivers
                        interface eth1 {
                            role downstream
                        }
                        """, "t.conf:2: no upstream interface: at least one interface needs role upstream"),
                Arguments.of("""
                        log-level info
                        """, "t.conf:1: no interface is configured: mcgate needs an upstream and downstreams"),
                Arguments.of(
                        """
                        interface eth0 {
                            role upstream
                            upstream-groups 239.0.0.0/8
                        }
                        interface eth1 {
                            role downstream
                        }
                        interface tun0 {
                            role upstream
                            upstream-groups 239.1.0.0/16
                        }
                        """,
                        "t.conf:10: upstream-groups 239.1.0.0/16 of tun0 overlaps upstream-groups 239.0.0.0/8 "
                                + "of upstream eth0 (line 3): each group must belong to exactly one upstream"),
                Arguments.of(
                        """
                        interface eth0 {
                            role upstream
                        }
                        interface eth1 {
                            role downstream
                            altnet 10.0.0.0/8
                        }
                        interface eth2 {
                            role downstream
                            altnet 10.1.0.0/16
                        }
                        """,
                        "t.conf:10: altnet 10.1.0.0/16 of eth2 overlaps altnet 10.0.0.0/8 of downstream eth1 "
                                + "(line 6): a source address must be local to one downstream only"),
                Arguments.of("""
                        interface eth0 {
                            role upstream
                        }
                        interface eth1 {
                            fast-leave yes
                        }
                        """, "t.conf:4: interface eth1 has no role (upstream, downstream or disabled)"),
                Arguments.of(
                        """
                        defaults {
                            query-interval 5s
                        }
                        interface eth0 {
                            role upstream
                        }
                        interface eth1 {
                            role downstream
                        }
                        """,
                        "t.conf:2: query-response-interval 10s must be less than query-interval 5s "
                                + "(RFC 3376 §8.3)"));
    }

    @ParameterizedTest
    @MethodSource("conflicts")
    void conflictIsReportedWhereItAppears(String text, String expected) {
        assertEquals(List.of(expected), messages(text, Format.NATIVE));
    }

    @Test
    void unknownRoleHasItsOwnMessageToo() {
        List<String> m = messages("interface eth0 {\n    role sideways\n}\n", Format.NATIVE);
        assertEquals(
                List.of(
                        "t.conf:1: interface eth0 has no role (upstream, downstream or disabled)",
                        "t.conf:2: unknown role 'sideways': must be upstream, downstream or disabled"),
                m);
    }

    @Test
    void blockStructureMistakes() {
        List<String> m = messages("""
                interface eth0 {
                    role upstream
                interface eth1 {
                    role downstream
                }
                }
                interface eth2 { role disabled }
                interface eth3 {
                    role downstream
                """, Format.NATIVE);
        assertEquals(
                List.of(
                        "t.conf:3: 'interface' inside interface eth0 opened at line 1: a '}' is missing",
                        "t.conf:6: '}' without an open block",
                        "t.conf:7: '{' must end the line that opens a block",
                        "t.conf:7: write 'interface NAME {' to open an interface block",
                        "t.conf:8: the block of interface eth3 opened here is not closed (missing '}')"),
                m);
    }

    @Test
    void closingBraceAfterAStatementStillClosesTheBlock() {
        List<String> m = messages("""
                interface eth0 {
                    role upstream }
                interface eth1 {
                    role downstream
                }
                """, Format.NATIVE);
        assertEquals(List.of("t.conf:2: '}' must stand on a line of its own"), m);
    }

    @Test
    void allErrorsOfAFileInLineOrder() {
        List<String> m = messages("""
                log-level chatty
                defaults {
                    robustness 0
                }
                interface eth0 {
                    role upstream
                    ttl-threshold 300
                }
                interface eth1 {
                    role downstream
                    igmp-version 5
                    allow-group 10.0.0.0/8 239.1.1.1/16
                }
                interface eth1 {
                    role upstream
                }
                """, Format.NATIVE);
        assertEquals(
                List.of(
                        "t.conf:1: unknown log-level 'chatty': must be error, warn, info, debug or trace",
                        "t.conf:3: robustness must not be 0 (RFC 3376 §8.1: the Robustness Variable MUST NOT be zero)",
                        "t.conf:7: ttl-threshold 300 is out of range 1..255",
                        "t.conf:11: igmp-version 5 is not supported: must be 1, 2 or 3",
                        "t.conf:12: allow-group 10.0.0.0/8 is not a multicast group range (groups are in 224.0.0.0/4)",
                        "t.conf:12: allow-group: 239.1.1.1/16 has host bits set (did you mean 239.1.0.0/16?)",
                        "t.conf:14: interface eth1 is already defined at line 9 as downstream; it cannot also be upstream"),
                m);
    }

    @Test
    void exceptionMessageListsOneErrorPerLine() {
        ConfigException e = assertThrows(
                ConfigException.class,
                () -> ConfigLoader.parse(
                        "bogus\ninterface eth0 {\n    role upstream\n    robustness 0\n}\n", "t.conf", Format.NATIVE));
        assertEquals(
                "t.conf:1: unknown keyword 'bogus'\n"
                        + "t.conf:4: robustness must not be 0 (RFC 3376 §8.1: the Robustness Variable MUST NOT be zero)",
                e.getMessage());
        assertEquals(4, e.errors().get(1).line());
        assertEquals("t.conf", e.errors().get(1).file());
    }

    public static Stream<Arguments> igmpproxyMistakes() {
        return Stream.of(
                Arguments.of(
                        "phyint eth0 upstream\nphyint eth1 downstream threshold 0\n",
                        "t.conf:2: threshold 0 is out of range 1..255"),
                Arguments.of(
                        "phyint eth0 upstream\nphyint eth1 downstream threshold 256\n",
                        "t.conf:2: threshold 256 is out of range 1..255"),
                Arguments.of(
                        "phyint eth0 upstream\nphyint eth1 downstream\n  whitelist 10.0.0.0/8\n",
                        "t.conf:3: whitelist 10.0.0.0/8 is not a multicast group range (groups are in 224.0.0.0/4)"),
                Arguments.of(
                        "phyint eth0 upstream\nphyint eth1 downstream\n  altnet 192.168.1.1/24\n",
                        "t.conf:3: altnet: 192.168.1.1/24 has host bits set (did you mean 192.168.1.0/24?)"),
                Arguments.of(
                        "phyint eth0 upstream\nphyint eth1 downstream\n  altnet\n",
                        "t.conf:3: missing value for 'altnet'"),
                Arguments.of(
                        "quickleave\naltnet 10.0.0.0/8\nphyint eth0 upstream\nphyint eth1 downstream\n",
                        "t.conf:2: 'altnet' must follow a 'phyint NAME' line (it belongs to the phyint above it)"),
                Arguments.of(
                        "phyint eth0 upstream\nphyint eth1 downstream\nfastleave\n",
                        "t.conf:3: unknown keyword 'fastleave'"),
                Arguments.of(
                        "phyint eth0 upstream\nphyint eth1 downstream\nphyint eth0 downstream\n",
                        "t.conf:3: interface eth0 is already defined at line 1 as upstream; it cannot also be "
                                + "downstream"),
                Arguments.of(
                        "phyint eth0 upstream\nphyint eth1 upstream downstream\n",
                        "t.conf:2: phyint eth1 is given two roles: upstream and downstream"),
                Arguments.of(
                        "phyint eth0 upstream\nphyint eth1\n",
                        "t.conf:2: interface eth1 has no role (upstream, downstream or disabled)"),
                Arguments.of(
                        "phyint eth1 downstream\nphyint eth2 downstream\n",
                        "t.conf:1: no upstream interface: at least one interface needs role upstream"),
                Arguments.of(
                        "phyint eth0 upstream ratelimit fast\nphyint eth1 downstream\n",
                        "t.conf:1: ratelimit: 'fast' is not a whole number"),
                Arguments.of(
                        "phyint eth0 upstream\nphyint\n",
                        "t.conf:2: missing value for 'phyint': write 'phyint NAME upstream|downstream|disabled'"),
                Arguments.of(
                        "phyint eth0 upstream\nphyint eth1/2 downstream\n",
                        "t.conf:2: 'eth1/2' is not a valid interface name (1 to 15 characters, no '/', ':' or "
                                + "whitespace)"),
                Arguments.of(
                        "chroot\nphyint eth0 upstream\nphyint eth1 downstream\n",
                        "t.conf:1: missing value for 'chroot'"),
                Arguments.of(
                        "phyint eth0 upstream\nphyint eth1 downstream\n    whitelist ff3e::/32\n",
                        "t.conf:3: whitelist: 'ff3e::/32' is IPv6; igmpproxy.conf is IPv4-only, as igmpproxy is "
                                + "(write IPv6 settings in mcgate's own format)"));
    }

    @ParameterizedTest
    @MethodSource("igmpproxyMistakes")
    void igmpproxyMistakeHasItsOwnMessage(String text, String expected) {
        assertEquals(List.of(expected), messages(text, Format.IGMPPROXY));
    }

    @Test
    void missingFileIsAConfigExceptionNotAnIoException(@TempDir Path dir) {
        Path missing = dir.resolve("nope.conf");
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(missing, Format.AUTO));
        assertEquals(missing + ": cannot read the configuration: no such file", e.getMessage());
        assertEquals(0, e.errors().get(0).line());
    }

    @Test
    void directoryIsAConfigException(@TempDir Path dir) {
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(dir, Format.AUTO));
        assertEquals(dir + ": cannot read the configuration: it is a directory", e.getMessage());
    }

    @Test
    void notUtf8IsAConfigException(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("latin1.conf");
        Files.write(file, new byte[] {'#', ' ', (byte) 0xe9, '\n'});
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(file, Format.AUTO));
        assertEquals(file + ": cannot read the configuration: it is not UTF-8 text", e.getMessage());
    }

    private static List<String> messages(String text, Format format) {
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.parse(text, "t.conf", format));
        return e.errors().stream().map(ConfigError::toString).toList();
    }
}
