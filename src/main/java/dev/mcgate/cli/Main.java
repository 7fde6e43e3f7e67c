package dev.mcgate.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * The mcgate command: its subcommands, and the rule that every error is one line and an exit code, never a trace.
 */
@Command(
        name = "mcgate",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "User-space IGMP proxy and multicast router for Linux.",
        subcommands = {
            RunCommand.class,
            CheckConfigCommand.class,
            StatusCommand.class,
            GroupsCommand.class,
            RoutesCommand.class,
            CountersCommand.class,
            ReloadCommand.class,
            LabCommand.class,
            CommandLine.HelpCommand.class
        })
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        // "mcgate" alone: say what there is to do.
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs a command line and returns its exit code (tests call this rather than main). */
    public static int execute(String... args) {
        return commandLine().execute(args);
    }

    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.setParameterExceptionHandler(Main::badUsage);
        cl.setExecutionExceptionHandler(Main::failure);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        return cl;
    }

    private static int badUsage(ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        PrintWriter err = cmd.getErr();
        err.println(cmd.getCommandSpec().qualifiedName() + ": " + e.getMessage() + " (see '"
                + cmd.getCommandSpec().qualifiedName() + " --help')");
        err.flush();
        return ExitCodes.USAGE;
    }

    private static int failure(Exception e, CommandLine cmd, ParseResult parseResult) {
        PrintWriter err = cmd.getErr();
        if (e instanceof CommandFailure failure) {
            err.println(cmd.getCommandSpec().qualifiedName() + ": " + failure.getMessage());
            err.flush();
            return failure.exitCode();
        }
        String message = e.getMessage() != null ? e.getMessage() : e.toString();
        err.println(cmd.getCommandSpec().qualifiedName() + ": " + message);
        if (Boolean.getBoolean("mcgate.debug")) {
            e.printStackTrace(err);
        }
        err.flush();
        return ExitCodes.SOFTWARE;
    }
}
