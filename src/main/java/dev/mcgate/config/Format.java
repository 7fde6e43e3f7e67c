package dev.mcgate.config;

/** Which configuration syntax a file is in; {@link #AUTO} recognises it by its first keyword. */
public enum Format {
    /** Recognise the syntax: a file whose first keyword is an igmpproxy keyword is igmpproxy.conf, else native. */
    AUTO,
    /** mcgate's own block syntax (see conf/mcgate.conf). */
    NATIVE,
    /** An unchanged igmpproxy.conf. */
    IGMPPROXY
}
