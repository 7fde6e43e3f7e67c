package dev.mcgate.lab;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a system command (ip, ethtool, sysctl) to completion and returns what it printed, or says exactly what failed.
 */
final class Shell {

    private static final long TIMEOUT_SECONDS = 30;

    private Shell() {}

    /** Output of a successful command; a non-zero exit throws with the command line and its error text. */
    static String run(String... command) throws LabException {
        Result r = tryRun(command);
        if (r.exitCode != 0) {
            throw new LabException(
                    "'" + String.join(" ", command) + "' failed (exit " + r.exitCode + "): " + r.stderr.strip());
        }
        return r.stdout;
    }

    record Result(int exitCode, String stdout, String stderr) {}

    static Result tryRun(String... command) throws LabException {
        ProcessBuilder pb = new ProcessBuilder(List.of(command));
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new LabException("cannot run '" + command[0] + "': " + e.getMessage() + " (is it installed?)");
        }
        try (InputStream out = p.getInputStream();
                InputStream err = p.getErrorStream()) {
            p.getOutputStream().close();
            // Commands here print little; read stderr on a helper thread so a chatty one cannot fill a pipe and block.
            StringBuilder errText = new StringBuilder();
            Thread errReader = new Thread(() -> {
                try {
                    errText.append(new String(err.readAllBytes(), StandardCharsets.UTF_8));
                } catch (IOException ignored) {
                    // the process went away; what was read is all there is
                }
            });
            errReader.start();
            String stdout = new String(out.readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new LabException(
                        "'" + String.join(" ", command) + "' did not finish in " + TIMEOUT_SECONDS + " s");
            }
            errReader.join();
            return new Result(p.exitValue(), stdout, errText.toString());
        } catch (IOException e) {
            throw new LabException("'" + String.join(" ", command) + "': " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new LabException("interrupted while running '" + String.join(" ", command) + "'");
        }
    }
}
