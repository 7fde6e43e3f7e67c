package dev.mcgate.relay.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.mcgate.net.IpAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The relay's URLs (udpxy's forms, VLC's SSM form, IPv6 in brackets) and every refusal a request earns by itself. */
class RelayRequestTest {

    private static RelayRequest get(String target) {
        return RelayRequest.parse("GET " + target + " HTTP/1.1\r\nHost: router\r\nUser-Agent: VLC/3.0");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            nullValues = "-",
            value = {
                "/udp/239.1.1.1:1234 | UDP | - | 239.1.1.1 | 1234",
                "/rtp/239.1.1.1:5004 | RTP | - | 239.1.1.1 | 5004",
                "/udp/10.0.0.1@232.1.1.1:5000 | UDP | 10.0.0.1 | 232.1.1.1 | 5000",
                "/udp/10.0.0.1@239.1.1.1:5000?fifo=1 | UDP | 10.0.0.1 | 239.1.1.1 | 5000",
                "/udp/[ff1e::1]:5000 | UDP | - | ff1e::1 | 5000",
                "/rtp/[2001:db8::1]@[ff3e::1]:5000 | RTP | 2001:db8::1 | ff3e::1 | 5000",
                "/udp/[ff15::abcd]:65535 | UDP | - | ff15::abcd | 65535",
            })
    void streams(String target, RelayRequest.Framing framing, String source, String group, int port) {
        RelayRequest.Stream s = assertInstanceOf(RelayRequest.Stream.class, get(target));
        assertEquals(framing, s.framing());
        assertEquals(source == null ? null : IpAddress.parse(source), s.source());
        assertEquals(IpAddress.parse(group), s.group());
        assertEquals(port, s.port());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "/udp/239.1.1.1 | BAD_REQUEST | malformed URL: write GROUP:PORT",
                "/udp/239.1.1.1:0 | BAD_REQUEST | malformed URL: the port must be 1..65535",
                "/udp/239.1.1.1:65536 | BAD_REQUEST | malformed URL: the port must be 1..65535",
                "/udp/239.1.1.1:12a | BAD_REQUEST | malformed URL: the port must be 1..65535",
                "/udp/239.1.1:1234 | BAD_REQUEST | malformed URL: not an IP address: 239.1.1",
                "/udp/channel1:1234 | BAD_REQUEST | malformed URL: not an IP address: channel1",
                "/udp/ff3e::1:5000 | BAD_REQUEST | malformed URL: not an IP address: ff3e::1",
                "/udp/[239.1.1.1]:5000 | BAD_REQUEST | malformed URL: not an IP address: [239.1.1.1]",
                "/udp/10.0.0.1:1234 | BAD_REQUEST | not a multicast group: 10.0.0.1",
                "/udp/224.0.0.1:1234 | BAD_REQUEST | a link-local group is never joined: 224.0.0.1",
                "/udp/[ff02::1]:1234 | BAD_REQUEST | a link-local group is never joined: ff02::1",
                "/udp/232.1.1.1:1234 | BAD_REQUEST | a source-specific group needs a source: /udp/SOURCE@232.1.1.1:1234",
                "/udp/[ff3e::1]:5000 | BAD_REQUEST | a source-specific group needs a source: /udp/SOURCE@[ff3e::1]:5000",
                "/udp/239.2.2.2@239.1.1.1:1234 | BAD_REQUEST | not a unicast source of the group's family: 239.2.2.2",
                "/udp/[2001:db8::1]@239.1.1.1:1234 | BAD_REQUEST | not a unicast source of the group's family: [2001:db8::1]",
                "/udp/x@239.1.1.1:1234 | BAD_REQUEST | malformed URL: not an IP address: x",
                "/tcp/239.1.1.1:1234 | NOT_FOUND | no such path: use /udp/GROUP:PORT, /rtp/GROUP:PORT or /status",
                "/ | NOT_FOUND | no such path: use /udp/GROUP:PORT, /rtp/GROUP:PORT or /status",
            })
    void refusals(String target, RefusalKind kind, String reason) {
        RelayRequest.Refusal r = assertInstanceOf(RelayRequest.Refusal.class, get(target));
        assertEquals(kind, r.kind());
        assertEquals(reason, r.reason());
    }

    @Test
    void methodsAndRequestLines() {
        RelayRequest.Refusal post =
                assertInstanceOf(RelayRequest.Refusal.class, RelayRequest.parse("POST /udp/239.1.1.1:1 HTTP/1.1"));
        assertEquals(405, post.code());
        assertEquals(404, ((RelayRequest.Refusal) RelayRequest.parse("DELETE /x HTTP/1.1")).code());
        assertEquals(400, ((RelayRequest.Refusal) RelayRequest.parse("GET /udp/239.1.1.1:1")).code());
        assertEquals(400, ((RelayRequest.Refusal) RelayRequest.parse("GET  /udp/239.1.1.1:1 HTTP/1.1")).code());
        assertEquals(400, ((RelayRequest.Refusal) RelayRequest.parse("\u0000\u0001")).code());
    }

    @Test
    void statusAsHtmlOrJson() {
        assertEquals(new RelayRequest.Status(false), get("/status"));
        assertEquals(new RelayRequest.Status(true), get("/status.json"));
        assertEquals(
                new RelayRequest.Status(true),
                RelayRequest.parse("GET /status HTTP/1.1\r\nAccept: text/html;q=0.5, application/json"));
    }

    @Test
    void describedAsTheUrlWritesIt() {
        assertEquals(
                "[2001:db8::1]@[ff3e::1]:5000",
                ((RelayRequest.Stream) get("/udp/[2001:db8::1]@[ff3e::1]:5000")).describe());
        assertEquals("239.1.1.1:1234", ((RelayRequest.Stream) get("/udp/239.1.1.1:1234")).describe());
    }
}
