package dev.mcgate.config;

/** One problem in a configuration file; line 0 means the file as a whole (e.g. it cannot be read). */
public record ConfigError(String file, int line, String message) {

    /** "FILE:LINE: message", or "FILE: message" for line 0. */
    @Override
    public String toString() {
        return line > 0 ? file + ":" + line + ": " + message : file + ": " + message;
    }
}
