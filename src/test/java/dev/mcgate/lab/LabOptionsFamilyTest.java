package dev.mcgate.lab;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcgate.net.IpAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Sender and receiver options of both families: what is accepted, what is refused and how the outputs name them. */
class LabOptionsFamilyTest {

    private static SendOptions send(String group, String source, int hopLimit) {
        return new SendOptions(
                IpAddress.parse(group),
                5001,
                source == null ? null : IpAddress.parse(source),
                null,
                10,
                64,
                hopLimit,
                3,
                null,
                false);
    }

    private static ReceiveOptions receive(String group, String source) {
        return new ReceiveOptions(
                IpAddress.parse(group),
                5001,
                source == null ? null : IpAddress.parse(source),
                null,
                0,
                null,
                null,
                1 << 20);
    }

    @ParameterizedTest(name = "{0} from {1}")
    @CsvSource(
            nullValues = "-",
            value = {
                "239.1.1.1,   -",
                "232.1.1.1,   192.0.2.10",
                "ff3e::1:1,   2001:db8::10",
                "ff15::1:2:3, -",
                "ff15::1:2:3, fd00:0:2::10",
                "ff02::1:3,   fe80::1",
            })
    void eitherFamilyIsAcceptedWithASourceOfItsOwn(String group, String source) {
        assertDoesNotThrow(() -> send(group, source, 8));
        assertDoesNotThrow(() -> receive(group, source));
    }

    @ParameterizedTest(name = "{0} from {1}")
    @CsvSource({
        "ff3e::1:1,  192.0.2.10,   --source 192.0.2.10 is an IPv4 address but --group ff3e::1:1 is IPv6",
        "232.1.1.1,  2001:db8::10, --source 2001:db8::10 is an IPv6 address but --group 232.1.1.1 is IPv4",
    })
    void aSourceOfTheOtherFamilyIsRefusedByBoth(String group, String source, String message) {
        assertEquals(
                message,
                assertThrows(IllegalArgumentException.class, () -> send(group, source, 8))
                        .getMessage());
        assertEquals(
                message,
                assertThrows(IllegalArgumentException.class, () -> receive(group, source))
                        .getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "10.1.2.3,    --group 10.1.2.3 is not a multicast address (224.0.0.0/4)",
        "2001:db8::1, --group 2001:db8::1 is not a multicast address (ff00::/8)",
        "fe80::1,     --group fe80::1 is not a multicast address (ff00::/8)",
    })
    void aUnicastGroupIsRefusedNamingItsFamilysRange(String group, String message) {
        assertEquals(
                message,
                assertThrows(IllegalArgumentException.class, () -> send(group, null, 8))
                        .getMessage());
        assertEquals(
                message,
                assertThrows(IllegalArgumentException.class, () -> receive(group, null))
                        .getMessage());
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource({
        "232.1.1.1, 239.9.9.9",
        "232.1.1.1, 0.0.0.0",
        "232.1.1.1, 255.255.255.255",
        "ff3e::1:1, ff3e::1:2",
        "ff3e::1:1, ::",
    })
    void aReceiverSourceMustBeUnicast(String group, String source) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> receive(group, source));
        assertEquals("--source " + IpAddress.parse(source) + " is not a unicast address", e.getMessage());
    }

    @Test
    void theHopLimitOptionIsNamedForTheGroupsFamily() {
        assertEquals(
                "--ttl 256 must be 0..255",
                assertThrows(IllegalArgumentException.class, () -> send("239.1.1.1", null, 256))
                        .getMessage());
        assertEquals(
                "--hop-limit -1 must be 0..255",
                assertThrows(IllegalArgumentException.class, () -> send("ff3e::1:1", null, -1))
                        .getMessage());
    }

    @Test
    void anIpv6SendSummaryBracketsTheGroupAndSaysHopLimit() {
        SendOptions options = send("ff3e::1:1", null, 5);
        SendResult result =
                new SendResult(0xabc, IpAddress.parse("fd00:0:2::10"), 3, 0, null, 201_000_000L, 200_000_000L);
        assertEquals(
                "sent 3 datagrams of 64 bytes from fd00:0:2::10 to [ff3e::1:1]:5001 in 0.201 s (10.0/s), hop limit 5,"
                        + " sender abc",
                result.summary(options));
    }

    @Test
    void anIpv6ReceiveSummaryNamesTheSourceAndTheHopLimit() {
        ReceiveStats stats = new ReceiveStats();
        long t0 = 1_700_000_000_000_000L;
        stats.joinedAt(t0);
        stats.record(new LabPayload(1, 0, t0), t0 + 2_000, 4, IpAddress.parse("fd00:0:2::10"));
        String summary = stats.summary();
        assertTrue(summary.startsWith("received 1 datagram (1 distinct) from 1 sender (source fd00:0:2::10)"), summary);
        assertTrue(summary.contains("after join, hop limit 4"), summary);
    }
}
