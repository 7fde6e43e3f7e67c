package dev.mcgate.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** A throwaway entry point for trying the lab commands by hand until the real Main registers them. */
public final class LabTryMain {

    @Command(name = "mcgate lab", subcommands = {LabSendCommand.class, LabReceiveCommand.class})
    static final class Lab {
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new Lab()).setParameterExceptionHandler(new UsageErrorHandler()).execute(args));
    }
}
