package dev.mcgate.config;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Collects the errors and warnings of one file so that all of them are reported, in line order, not just the first. */
final class Problems {

    private final String file;
    private final List<ConfigError> errors = new ArrayList<>();
    private final List<ConfigError> warnings = new ArrayList<>();

    Problems(String file) {
        this.file = file;
    }

    String file() {
        return file;
    }

    void error(int line, String message) {
        errors.add(new ConfigError(file, line, message));
    }

    void warn(int line, String message) {
        warnings.add(new ConfigError(file, line, message));
    }

    boolean hasErrors() {
        return !errors.isEmpty();
    }

    /** Errors sorted by line; the sort is stable, so problems of one line keep the order they were found in. */
    List<ConfigError> errors() {
        return sorted(errors);
    }

    /** Warnings as "FILE:LINE: message", sorted by line. */
    List<String> warnings() {
        return sorted(warnings).stream().map(ConfigError::toString).toList();
    }

    private static List<ConfigError> sorted(List<ConfigError> list) {
        List<ConfigError> copy = new ArrayList<>(list);
        copy.sort(Comparator.comparingInt(ConfigError::line));
        return List.copyOf(copy);
    }
}
