package dev.mcgate.config;

import java.util.Locale;

/** The daemon's log threshold, named as slf4j names its levels. */
public enum LogLevel {
    ERROR,
    WARN,
    INFO,
    DEBUG,
    TRACE;

    /** The keyword used in configuration files. */
    public String keyword() {
        return name().toLowerCase(Locale.ROOT);
    }
}
