package dev.mcgate.cli;

/**
 * Process exit codes, from sysexits.h so that scripts and systemd can tell failures apart.
 */
public final class ExitCodes {
    public static final int OK = 0;
    /** EX_USAGE: the command line was wrong. */
    public static final int USAGE = 64;
    /** EX_NOUSER: the user to run as does not exist. */
    public static final int NOUSER = 67;
    /** EX_UNAVAILABLE: something needed (a tool, an interface, libpcap) is not there. */
    public static final int UNAVAILABLE = 69;
    /** EX_SOFTWARE: a failure inside mcgate. */
    public static final int SOFTWARE = 70;
    /** EX_IOERR: an input/output error. */
    public static final int IOERR = 74;
    /** EX_NOPERM: root (or CAP_NET_RAW / CAP_NET_ADMIN) is required. */
    public static final int NOPERM = 77;
    /** EX_CONFIG: the configuration file is wrong. */
    public static final int CONFIG = 78;

    private ExitCodes() {}
}
