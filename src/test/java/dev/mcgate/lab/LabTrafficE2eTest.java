package dev.mcgate.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code lab send} in one network namespace, {@code lab receive} in another, joined by a veth pair: the kernel's
 * own multicast stack between them. Needs root and iproute2; run with {@code mvn -Pe2e verify}.
 */
@Tag("e2e")
class LabTrafficE2eTest {

    private static final String SUFFIX = Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000, 0x10000));
    private static final String NS_SEND = "mclt" + SUFFIX + "s";
    private static final String NS_RECV = "mclt" + SUFFIX + "r";
    private static final String IF_SEND = "mclt" + SUFFIX + "a";
    private static final String IF_RECV = "mclt" + SUFFIX + "b";

    @TempDir
    Path dir;

    @BeforeAll
    static void buildLab() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root for network namespaces");
        sh("ip", "netns", "add", NS_SEND);
        sh("ip", "netns", "add", NS_RECV);
        sh("ip", "link", "add", IF_SEND, "netns", NS_SEND, "type", "veth", "peer", "name", IF_RECV, "netns", NS_RECV);
        sh("ip", "-n", NS_SEND, "addr", "add", "10.78.0.1/24", "dev", IF_SEND);
        sh("ip", "-n", NS_SEND, "addr", "add", "10.78.0.11/24", "dev", IF_SEND);
        sh("ip", "-n", NS_RECV, "addr", "add", "10.78.0.2/24", "dev", IF_RECV);
        for (String[] nsIf : new String[][] {{NS_SEND, IF_SEND}, {NS_RECV, IF_RECV}}) {
            sh("ip", "-n", nsIf[0], "link", "set", "lo", "up");
            sh("ip", "-n", nsIf[0], "link", "set", nsIf[1], "up");
            sh("ip", "-n", nsIf[0], "route", "add", "224.0.0.0/4", "dev", nsIf[1]);
        }
    }

    @AfterAll
    static void tearDown() throws Exception {
        if ("root".equals(System.getProperty("user.name"))) {
            run(List.of("ip", "netns", "del", NS_SEND));
            run(List.of("ip", "netns", "del", NS_RECV));   // the veth pair goes with its namespaces
        }
    }

    @Test
    void anySourceReceiverCountsEveryDatagramWithTheSendersTtl() throws Exception {
        Path json = dir.resolve("asm.json");
        Process receiver = lab(NS_RECV, "receive", "-g", "239.7.7.7", "-i", IF_RECV, "-c", "300", "-d", "15s",
                "-q", "--json", json.toString());
        Process sender = lab(NS_SEND, "send", "-g", "239.7.7.7", "-s", "10.78.0.1", "--rate", "500", "-d", "8s",
                "--ttl", "7", "--size", "300", "-q");
        assertEquals(0, exit(receiver), output(receiver));
        sender.destroy();                                    // SIGTERM: it prints and exits with its own code
        assertEquals(0, exit(sender), output(sender));
        String result = Files.readString(json);
        assertEquals(300, number(result, "received"), result);
        assertEquals(300, number(result, "distinct"), result);
        assertEquals(0, number(result, "lost"), result);
        assertEquals(0, number(result, "duplicated"), result);
        assertEquals(7, number(result, "ttlMin"), result);
        assertEquals(7, number(result, "ttlMax"), result);
        assertTrue(result.contains("\"sources\": [\n    \"10.78.0.1\"\n  ]"), result);
        long p50 = number(result, "p50");
        assertTrue(p50 >= 0 && p50 < 100_000, "a one-way latency on veth is far below 100 ms: " + p50);
    }

    @Test
    void sourceSpecificReceiverGetsOnlyItsSource() throws Exception {
        Path json = dir.resolve("ssm.json");
        Process wanted = lab(NS_RECV, "receive", "-g", "232.7.7.7", "-i", IF_RECV, "-s", "10.78.0.11", "-d", "4s",
                "-q", "--json", json.toString());
        Process other = lab(NS_RECV, "receive", "-g", "232.7.7.7", "-i", IF_RECV, "-s", "10.78.0.99", "-d", "4s",
                "-q", "--expect-none");
        Process fromOne = lab(NS_SEND, "send", "-g", "232.7.7.7", "-s", "10.78.0.1", "--rate", "200", "-d", "5s", "-q");
        Process fromEleven = lab(NS_SEND, "send", "-g", "232.7.7.7", "-s", "10.78.0.11", "--rate", "200", "-d", "5s",
                "-q", "--ttl", "9");
        assertEquals(0, exit(wanted), output(wanted));
        assertEquals(0, exit(other), "nothing from 10.78.0.1 or .11 may reach a join for .99: " + output(other));
        assertEquals(0, exit(fromOne), output(fromOne));
        assertEquals(0, exit(fromEleven), output(fromEleven));
        String result = Files.readString(json);
        assertEquals(1, number(result, "senders"), result);
        assertEquals(9, number(result, "ttlMin"), result);
        assertTrue(result.contains("\"10.78.0.11\"") && !result.contains("\"10.78.0.1\""), result);
        assertTrue(number(result, "received") > 100, result);
    }

    @Test
    void receiverWithNothingToReceiveExitsOne() throws Exception {
        Process receiver = lab(NS_RECV, "receive", "-g", "239.7.7.8", "-i", IF_RECV, "-d", "500ms", "-q");
        assertEquals(1, exit(receiver), output(receiver));
    }

    private Process lab(String namespace, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", namespace,
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "dev.mcgate.cli.LabTryMain"));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve(namespace + "-" + System.nanoTime() + ".log").toFile()).start();
    }

    private static int exit(Process process) throws InterruptedException {
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("still running after 30 s: " + process.info().commandLine().orElse("?"));
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

    private static void sh(String... command) throws Exception {
        int code = run(List.of(command));
        if (code != 0) {
            throw new IllegalStateException(String.join(" ", command) + " exited " + code);
        }
    }

    private static int run(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).inheritIO().start();
        return p.waitFor(10, TimeUnit.SECONDS) ? p.exitValue() : -1;
    }
}
