package dev.mcgate.cli;

import dev.mcgate.config.ConfigException;
import dev.mcgate.config.ConfigLoader;
import dev.mcgate.config.Format;
import dev.mcgate.config.GlobalConfig;
import dev.mcgate.control.ControlClient;
import dev.mcgate.control.ControlRequest;
import dev.mcgate.control.ControlResponse;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * What every command that asks the running daemon shares: where its control socket is, text or JSON, and how an
 * answer becomes output and an exit code (the daemon's answer carries the code; no daemon is 69).
 */
abstract class ControlClientCommand implements Callable<Integer> {

    /** A reload re-reads and applies the file; the rest answer from a snapshot within seconds. */
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--json", description = "Print a JSON document (schema 1, see docs/control.md) instead of text.")
    boolean json;

    @Option(
            names = "--socket",
            paramLabel = "PATH",
            description = "The daemon's control socket (default: control-socket of the -c file, else "
                    + "/run/mcgate/mcgate.sock).")
    Path socket;

    @Option(
            names = {"-c", "--config"},
            paramLabel = "FILE",
            description = "Read control-socket from this configuration file.")
    Path config;

    /** The request this command sends. */
    abstract ControlRequest request(boolean json);

    @Override
    public Integer call() {
        Path path = socketPath();
        if (path == null) {
            return ExitCodes.CONFIG;
        }
        ControlResponse response;
        try {
            response = ControlClient.exchange(path, request(json), TIMEOUT);
        } catch (ControlClient.UnavailableException e) {
            throw new CommandFailure(ExitCodes.UNAVAILABLE, e.getMessage());
        }
        PrintWriter out = spec.commandLine().getOut();
        if (response.exitCode() == ExitCodes.OK || json) {
            out.print(response.body());
            out.flush();
        } else {
            PrintWriter err = spec.commandLine().getErr();
            response.body().lines().forEach(l -> err.println(spec.qualifiedName() + ": " + l));
            err.flush();
        }
        return response.exitCode();
    }

    /** --socket, else control-socket from -c, else the default; null (errors printed) if -c does not load. */
    private Path socketPath() {
        if (socket != null) {
            return socket;
        }
        if (config == null) {
            return GlobalConfig.DEFAULT_CONTROL_SOCKET;
        }
        try {
            return ConfigLoader.load(config, Format.AUTO).config().global().controlSocket();
        } catch (ConfigException e) {
            PrintWriter err = spec.commandLine().getErr();
            err.println(e.getMessage().strip());
            err.println(spec.qualifiedName() + ": " + config + ": configuration not valid");
            err.flush();
            return null;
        }
    }

    static Optional<String> none() {
        return Optional.empty();
    }
}
