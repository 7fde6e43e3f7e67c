package dev.mcgate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Bad values give one line on stderr and EX_USAGE (64), and never reach a socket. */
class LabCommandUsageTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "send -g 239.1.1.1 --rate -1           | --rate -1 must be >= 0",
                "send -g 239.1.1.1 --rate abc          | '--rate': 'abc'",
                "send -g 239.1.1.1 --size 31           | --size 31 must be 32..65507",
                "send -g 239.1.1.1 --size 70000        | --size 70000 must be 32..65507",
                "send -g 239.1.1.1 --ttl 256           | --ttl 256 must be 0..255",
                "send -g 10.1.2.3                      | --group 10.1.2.3 is not a multicast address (224.0.0.0/4)",
                "send -g 2001:db8::1                   | --group 2001:db8::1 is not a multicast address (ff00::/8)",
                "send -g ff3e::1:1::2                  | --group 'ff3e::1:1::2' is not an IPv6 address",
                "send -g ff3e::1:1 --hop-limit 256     | --hop-limit 256 must be 0..255",
                "send -g ff3e::1:1 -s 2001:db8::77     | --source 2001:db8::77 is not an address of this host",
                "send -g ff3e::1:1 -s 127.0.0.1        | --source 127.0.0.1 is an IPv4 address but --group ff3e::1:1 is IPv6",
                "send -g 239.1.1.1 -s ::1              | --source ::1 is an IPv6 address but --group 239.1.1.1 is IPv4",
                "send -g 239.1.1                       | --group '239.1.1' is not an IPv4 address",
                "send -g 239.1.1.1 -i mclt-no-such-if  | --interface 'mclt-no-such-if': no such interface",
                "send -g 239.1.1.1 -s 192.0.2.77       | --source 192.0.2.77 is not an address of this host",
                "send -g 239.1.1.1 -p 0                | --port 0 must be 1..65535",
                "send -g 239.1.1.1 -c -5               | --count -5 must be >= 0",
                "send -g 239.1.1.1 -d 0s               | --duration must be positive",
                "send -g 239.1.1.1 -d soon             | 'soon' is not a duration",
                "send --rate 10                        | Missing required option: '--group=GROUP'",
                "receive -g 224.0.0.256                | --group '224.0.0.256' is not an IPv4 address",
                "receive -g 1.2.3.4                    | --group 1.2.3.4 is not a multicast address (224.0.0.0/4)",
                "receive -g fe80::1                    | --group fe80::1 is not a multicast address (ff00::/8)",
                "receive -g ff3e::zz                   | --group 'ff3e::zz' is not an IPv6 address",
                "receive -g ff3e::1:1 -s ff02::1       | --source ff02::1 is not a unicast address",
                "receive -g ff3e::1:1 -s ::            | --source :: is not a unicast address",
                "receive -g ff3e::1:1 -s 2001:db8:::1  | --source '2001:db8:::1' is not an IPv6 address",
                "receive -g ff3e::1:1 -s 192.0.2.10    | --source 192.0.2.10 is an IPv4 address but --group ff3e::1:1 is IPv6",
                "receive -g 232.1.1.1 -s 2001:db8::10  | --source 2001:db8::10 is an IPv6 address but --group 232.1.1.1 is IPv4",
                "receive -g 232.1.1.1 -s 239.9.9.9     | --source 239.9.9.9 is not a unicast address",
                "receive -g 232.1.1.1 -s nobody        | --source 'nobody' is not an IPv4 address",
                "receive -g 239.1.1.1 -i mclt-nope     | --interface 'mclt-nope': no such interface",
                "receive -g 239.1.1.1 --idle-timeout -2s | --idle-timeout must be positive, got -2000 ms",
                "receive -g 239.1.1.1 --rcvbuf 10      | --rcvbuf 10 must be at least 1024 bytes",
                "receive -g 239.1.1.1 --expect -1      | --expect -1 must be >= 0",
                "receive -g 239.1.1.1 --bogus          | Unknown option: '--bogus'",
            })
    void badValueGivesOneLineAndExUsage(String args, String expectedPart) {
        StringWriter err = new StringWriter();
        StringWriter out = new StringWriter();
        int code = Main.commandLine()
                .setErr(new PrintWriter(err))
                .setOut(new PrintWriter(out))
                .execute(("lab " + args.trim()).split("\\s+"));
        String message = err.toString();
        assertEquals(64, code, message);
        assertEquals(1, message.lines().count(), "exactly one line: " + message);
        assertTrue(message.contains(expectedPart), message);
        assertTrue(message.startsWith("mcgate lab " + args.trim().split(" ")[0] + ": "), message);
        assertFalse(message.contains("Exception") || message.contains("\tat "), "no stack trace: " + message);
        assertEquals("", out.toString());
    }
}
