package dev.mcgate.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;

/**
 * Reports a command-line mistake as one line on stderr and exits with EX_USAGE (64), instead of picocli's default
 * of the message plus the whole usage text and exit code 2. Install it on the root CommandLine; it covers every
 * subcommand.
 */
public final class UsageErrorHandler implements IParameterExceptionHandler {

    /** sysexits.h EX_USAGE: the command was used incorrectly. */
    public static final int EX_USAGE = 64;

    @Override
    public int handleParseException(ParameterException ex, String[] args) {
        CommandLine cmd = ex.getCommandLine();
        PrintWriter err = cmd.getErr();
        err.println(cmd.getCommandSpec().qualifiedName() + ": " + ex.getMessage()
                + " (see '" + cmd.getCommandSpec().qualifiedName() + " --help')");
        err.flush();
        return EX_USAGE;
    }
}
