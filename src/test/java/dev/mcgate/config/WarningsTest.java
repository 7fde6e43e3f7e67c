package dev.mcgate.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Legal but doubtful settings load, with a FILE:LINE warning returned to the caller (the parser logs nothing). */
class WarningsTest {

    @Test
    void robustnessOne() throws ConfigException {
        LoadedConfig c = ConfigLoader.parse("""
                interface a {
                    role upstream
                }
                interface b {
                    role downstream
                    robustness 1
                }
                """, "t.conf", Format.NATIVE);
        assertEquals(
                List.of("t.conf:6: robustness 1 gives no protection against a lost packet (RFC 3376 §8.1: it "
                        + "SHOULD NOT be one)"),
                c.warnings());
        assertEquals(1, c.config().interfaceFor("b").igmp().robustness());
        assertEquals(1, c.config().interfaceFor("b").igmp().lastMemberQueryCount());
    }

    @Test
    void noDownstream() throws ConfigException {
        LoadedConfig c = ConfigLoader.parse("# x\ninterface a {\n    role upstream\n}\n", "t.conf", Format.NATIVE);
        assertEquals(List.of("t.conf:2: no downstream interface: nothing will be forwarded"), c.warnings());
    }

    @Test
    void noDownstreamIsFineWithDefaultdown() throws ConfigException {
        LoadedConfig c = ConfigLoader.parse("defaultdown\nphyint eth0 upstream\n", "t.conf", Format.AUTO);
        assertEquals(List.of(), c.warnings());
    }

    @Test
    void anAllowListThatLeavesOutARunningFamily() throws ConfigException {
        LoadedConfig c = ConfigLoader.parse("""
                defaults {
                    allow-group 224.0.0.0/4
                }
                interface a {
                    role upstream
                    ipv6 off
                    allow-source 10.0.0.0/8
                }
                interface b {
                    role downstream
                    allow-source 2001:db8::/32
                    allow-group none
                }
                """, "t.conf", Format.NATIVE);
        assertEquals(
                List.of(
                        "t.conf:2: allow-group in the defaults block names no IPv6 prefix, so no IPv6 group passes "
                                + "there (add ff00::/8, or write 'ipv6 off')",
                        "t.conf:11: allow-source in interface b names no IPv4 prefix, so no IPv4 source passes there "
                                + "(add 0.0.0.0/0, or write 'ipv4 off')"),
                c.warnings());
        assertFalse(c.config().interfaceFor("b").sourceFilter().permits(dev.mcgate.net.Ip4.parse("10.0.0.1")));
    }
}
