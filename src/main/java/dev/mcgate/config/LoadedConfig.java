package dev.mcgate.config;

import java.util.List;
import java.util.Objects;

/**
 * A configuration as loaded: the config, the format it was read in (never AUTO) and the warnings, each
 * "FILE:LINE: message", in line order.
 */
public record LoadedConfig(McgateConfig config, Format detected, List<String> warnings) {

    public LoadedConfig {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(detected, "detected");
        warnings = List.copyOf(warnings);
    }
}
