package dev.mcgate.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcgate.lab.LabTopology;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code lab send} in the lab's router namespace and {@code lab receive} in a receiver namespace, on the veth between
 * them: the kernel's own multicast stack on both ends, no forwarder in between.
 */
@EndToEnd
class LabTrafficE2ETest {

    /** A second address on the router's down1, for the source-specific test. */
    private static final String SECOND_SOURCE = "198.51.100.11";

    private static final String FIRST_SOURCE = "198.51.100.1";
    private static final String IF_SEND = "down1";
    private static final String IF_RECV = LabTopology.HOST_IF;

    private static TestLab lab;
    private static String nsSend;
    private static String nsRecv;

    @TempDir
    Path dir;

    @BeforeAll
    static void up() throws Exception {
        lab = TestLab.up();
        nsSend = lab.topology().router();
        nsRecv = lab.topology().receiver(1);
        Process p = new ProcessBuilder("ip", "-n", nsSend, "addr", "add", SECOND_SOURCE + "/24", "dev", IF_SEND)
                .inheritIO()
                .start();
        assertEquals(0, p.waitFor());
    }

    @AfterAll
    static void down() throws Exception {
        if (lab != null) {
            lab.close();
        }
    }

    @Test
    void anySourceReceiverCountsEveryDatagramWithTheSendersTtl() throws Exception {
        Path json = dir.resolve("asm.json");
        Process receiver = lab(
                nsRecv,
                "receive",
                "-g",
                "239.7.7.7",
                "-i",
                IF_RECV,
                "-c",
                "300",
                "-d",
                "15s",
                "-q",
                "--json",
                json.toString());
        Process sender = lab(
                nsSend,
                "send",
                "-g",
                "239.7.7.7",
                "-s",
                FIRST_SOURCE,
                "--rate",
                "500",
                "-d",
                "8s",
                "--ttl",
                "7",
                "--size",
                "300",
                "-q");
        assertEquals(0, exit(receiver), output(receiver));
        sender.destroy(); // SIGTERM: it prints and exits with its own code
        assertEquals(0, exit(sender), output(sender));
        String result = Files.readString(json);
        assertEquals(300, number(result, "received"), result);
        assertEquals(300, number(result, "distinct"), result);
        assertEquals(0, number(result, "lost"), result);
        assertEquals(0, number(result, "duplicated"), result);
        assertEquals(7, number(result, "ttlMin"), result);
        assertEquals(7, number(result, "ttlMax"), result);
        assertTrue(result.contains("\"sources\": [\n    \"" + FIRST_SOURCE + "\"\n  ]"), result);
        long p50 = number(result, "p50");
        assertTrue(p50 >= 0 && p50 < 100_000, "a one-way latency on veth is far below 100 ms: " + p50);
    }

    @Test
    void sourceSpecificReceiverGetsOnlyItsSource() throws Exception {
        Path json = dir.resolve("ssm.json");
        Process wanted = lab(
                nsRecv,
                "receive",
                "-g",
                "232.7.7.7",
                "-i",
                IF_RECV,
                "-s",
                SECOND_SOURCE,
                "-d",
                "4s",
                "-q",
                "--json",
                json.toString());
        Process other = lab(
                nsRecv,
                "receive",
                "-g",
                "232.7.7.7",
                "-i",
                IF_RECV,
                "-s",
                "198.51.100.99",
                "-d",
                "4s",
                "-q",
                "--expect-none");
        Process fromOne = lab(nsSend, "send", "-g", "232.7.7.7", "-s", FIRST_SOURCE, "--rate", "200", "-d", "5s", "-q");
        Process fromEleven = lab(
                nsSend,
                "send",
                "-g",
                "232.7.7.7",
                "-s",
                SECOND_SOURCE,
                "--rate",
                "200",
                "-d",
                "5s",
                "-q",
                "--ttl",
                "9");
        assertEquals(0, exit(wanted), output(wanted));
        assertEquals(0, exit(other), "nothing from .1 or .11 may reach a join for .99: " + output(other));
        assertEquals(0, exit(fromOne), output(fromOne));
        assertEquals(0, exit(fromEleven), output(fromEleven));
        String result = Files.readString(json);
        assertEquals(1, number(result, "senders"), result);
        assertEquals(9, number(result, "ttlMin"), result);
        assertTrue(
                result.contains("\"" + SECOND_SOURCE + "\"") && !result.contains("\"" + FIRST_SOURCE + "\""), result);
        assertTrue(number(result, "received") > 100, result);
    }

    @Test
    void receiverWithNothingToReceiveExitsOne() throws Exception {
        Process receiver = lab(nsRecv, "receive", "-g", "239.7.7.8", "-i", IF_RECV, "-d", "500ms", "-q");
        assertEquals(1, exit(receiver), output(receiver));
    }

    private Process lab(String namespace, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("lab"));
        command.addAll(List.of(args));
        return lab.startMcgate(
                namespace, dir.resolve(namespace + "-" + System.nanoTime() + ".log"), command.toArray(String[]::new));
    }

    private static int exit(Process process) throws InterruptedException {
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(
                    "still running after 30 s: " + process.info().commandLine().orElse("?"));
        }
        return process.exitValue();
    }

    private String output(Process process) {
        try (var logs = Files.list(dir)) {
            StringBuilder all = new StringBuilder();
            for (Path log : logs.filter(p -> p.toString().endsWith(".log")).toList()) {
                all.append(log.getFileName()).append(":\n").append(Files.readString(log, StandardCharsets.UTF_8));
            }
            return all.toString();
        } catch (IOException e) {
            return "(no output: " + e + ")";
        }
    }

    private static long number(String json, String field) {
        Matcher m = Pattern.compile("\"" + field + "\": (-?\\d+)").matcher(json);
        assertTrue(m.find(), field + " in " + json);
        return Long.parseLong(m.group(1));
    }
}
