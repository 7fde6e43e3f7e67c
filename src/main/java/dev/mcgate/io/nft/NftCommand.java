package dev.mcgate.io.nft;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs the {@code nft} binary: one {@code nft -f -} per transaction (the script on stdin), and {@code nft -j} to read
 * counters. The only place mcgate starts a process for the kernel fast path; callers run it off the loop.
 */
public final class NftCommand implements NftRunner {

    /** A refused transaction or a failed run; the message is nft's own first error lines. */
    public static final class NftException extends IOException {
        public NftException(String message) {
            super(message);
        }
    }

    /** Where Debian installs it; PATH of a systemd service may not hold /usr/sbin. */
    private static final List<String> PLACES = List.of("/usr/sbin/nft", "/sbin/nft", "/usr/bin/nft", "/bin/nft");

    private static final long TIMEOUT_SECONDS = 10;
    /** The probe: the netdev family, an ingress hook, and every statement a route chain uses, then nothing left. */
    static final String PROBE = """
            add table netdev mcgate_probe
            add chain netdev mcgate_probe c
            add rule netdev mcgate_probe c meta protocol ip ip ttl set 7 ether saddr set 02:00:00:00:00:01 \
            dup to "lo" fwd to "lo"
            add chain netdev mcgate_probe i { type filter hook ingress device "lo" priority 0 ; policy accept ; }
            delete table netdev mcgate_probe
            """;

    private final Path binary;

    private NftCommand(Path binary) {
        this.binary = binary;
    }

    /** The nft binary of this system, if there is one. */
    public static Optional<NftCommand> locate() {
        for (String place : PLACES) {
            Path p = Path.of(place);
            if (Files.isExecutable(p)) {
                return Optional.of(new NftCommand(p));
            }
        }
        return Optional.empty();
    }

    /** The probe transaction, for a test that checks a namespace's kernel the way the engine will. */
    public static String probeScript() {
        return PROBE;
    }

    public Path binary() {
        return binary;
    }

    @Override
    public void apply(String script) throws IOException {
        run(script, "-f", "-");
    }

    /** Loads and deletes a table with the statements the engine needs; throws with nft's refusal if one is missing. */
    public void probe() throws IOException {
        apply(PROBE);
    }

    @Override
    public void removeTable() throws IOException {
        apply(NftRuleset.removal());
    }

    /** The JSON text {@link NftCounters} reads. */
    @Override
    public String listCounters() throws IOException {
        return run("", "-j", "list", "counters", "table", "netdev", NftNames.TABLE);
    }

    private String run(String stdin, String... args) throws IOException {
        String[] command = new String[args.length + 1];
        command[0] = binary.toString();
        System.arraycopy(args, 0, command, 1, args.length);
        Process process = new ProcessBuilder(command).redirectErrorStream(false).start();
        CompletableFuture<String> out = read(process.getInputStream());
        CompletableFuture<String> err = read(process.getErrorStream());
        try (OutputStream in = process.getOutputStream()) {
            in.write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        try {
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new NftException("nft did not finish within " + TIMEOUT_SECONDS + " s");
            }
            if (process.exitValue() != 0) {
                throw new NftException(firstLines(err.get(), 3));
            }
            return out.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new NftException("interrupted");
        } catch (java.util.concurrent.ExecutionException e) {
            throw new NftException("cannot read nft's output: " + e.getCause());
        }
    }

    private static CompletableFuture<String> read(InputStream stream) {
        return CompletableFuture.supplyAsync(() -> {
            try (stream) {
                return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "";
            }
        });
    }

    /** nft repeats the offending line and marks it with ^^^: the error lines are what an operator needs. */
    static String firstLines(String stderr, int max) {
        return stderr.lines()
                .filter(l -> l.startsWith("Error") || l.contains("Error:"))
                .limit(max)
                .reduce((a, b) -> a + "; " + b)
                .orElse(
                        stderr.strip().isEmpty()
                                ? "nft failed"
                                : stderr.strip().lines().findFirst().orElse("nft failed"));
    }
}
