package dev.mcgate.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.mcgate.config.LogLevel;
import dev.mcgate.fuzz.FuzzTally;
import dev.mcgate.logging.Logging;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;

/**
 * Coverage-guided fuzzing of the control protocol, both ways:
 *
 * <ul>
 *   <li>{@link #request}: any bytes a local client sends to a real {@link ControlServer} (a Unix socket in a temporary
 *       directory, the daemon's dispatcher over a sample snapshot): the answer is a well-formed mcgate answer with a
 *       request's exit code (never "failed inside mcgate" or "unavailable"), a JSON answer is JSON, and nothing but a
 *       well-formed reload request reloads;
 *   <li>{@link #answer}: any bytes a client reads back from the socket ({@link ControlClient}'s answer parsing, and
 *       {@link MiniJson}, which the lab's probes read answers with): a result or the one typed refusal each.
 * </ul>
 */
class ControlProtocolFuzzTest {

    private static final FuzzTally REQUESTS = new FuzzTally("control-request");
    private static final FuzzTally ANSWERS = new FuzzTally("control-answer");
    private static final Set<Integer> REQUEST_EXITS = Set.of(
            ControlResponse.OK, ControlResponse.BAD_REQUEST, ControlResponse.NOT_PERMITTED, ControlResponse.CONFIG);
    private static final ControlServer.Limits LIMITS =
            new ControlServer.Limits(512, Duration.ofMillis(500), Duration.ofSeconds(5), 2);
    private static final AtomicInteger RELOADS = new AtomicInteger();
    private static Path socket;
    private static ControlServer server;

    @FuzzTest(maxDuration = "10m")
    void request(byte[] input) throws Exception {
        LogLevel level = Logging.level();
        Logging.setLevel(LogLevel.ERROR);
        try {
            if (server == null) {
                Path dir = Files.createTempDirectory("mcgate-fuzz");
                dir.toFile().deleteOnExit();
                socket = dir.resolve("control.sock");
                ControlDispatcher dispatcher = new ControlDispatcher(Snapshots::sample, () -> {
                    RELOADS.incrementAndGet();
                    return new Reloading.Outcome(true, "no change", List.of());
                });
                server = ControlServer.start(socket, dispatcher, LIMITS);
            }
            int reloadsBefore = RELOADS.get();
            byte[] answer = exchange(input);
            String line = firstLine(input);
            boolean wellFormedReload = line != null && line.strip().matches("(text|json)\\s+reload");
            assertEquals(wellFormedReload ? reloadsBefore + 1 : reloadsBefore, RELOADS.get(), "reloads for " + line);
            if (answer.length == 0) {
                // Closed without a word: only for a client that went before its line ended.
                assertTrue(line == null, "no answer to a complete line");
                REQUESTS.count("closed-without-line");
                return;
            }
            ControlResponse response = ControlClient.parse(socket, answer);
            assertTrue(REQUEST_EXITS.contains(response.exitCode()), "exit " + response.exitCode());
            if (response.exitCode() == ControlResponse.OK && line.strip().startsWith("json")) {
                MiniJson.parse(response.body());
            }
            REQUESTS.count("exit-" + response.exitCode());
        } finally {
            Logging.setLevel(level);
        }
    }

    @FuzzTest(maxDuration = "10m")
    void answer(byte[] input) {
        try {
            ControlClient.parse(Path.of("/run/mcgate/mcgate.sock"), input);
            ANSWERS.count("answer");
        } catch (ControlClient.UnavailableException e) {
            ANSWERS.count("not-an-answer");
        } catch (IllegalArgumentException e) {
            throw new AssertionError("an answer the client cannot read must say so as 'unavailable'", e);
        }
        try {
            MiniJson.parse(new String(input, StandardCharsets.UTF_8));
            ANSWERS.count("json");
        } catch (IllegalArgumentException e) {
            ANSWERS.count("not-json");
        }
    }

    @AfterAll
    static void tally() throws IOException {
        REQUESTS.print();
        ANSWERS.print();
        if (server != null) {
            server.close();
        }
    }

    /** The request line the server reads from {@code input}: up to the first newline, if within the limit. */
    private static String firstLine(byte[] input) {
        for (int i = 0; i < input.length && i <= LIMITS.maxRequestBytes(); i++) {
            if (input[i] == '\n') {
                return new String(input, 0, i, StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    private static byte[] exchange(byte[] input) throws IOException {
        try (SocketChannel c = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            try {
                c.write(ByteBuffer.wrap(input));
                c.shutdownOutput();
            } catch (IOException e) {
                // The server answers and closes early on a request that is too long: read what it said.
            }
            return ChannelIo.readAll(
                    c, 1 << 22, System.nanoTime() + Duration.ofSeconds(10).toNanos());
        }
    }
}
