package dev.mcgate.config;

import java.util.Locale;

/** How a Kafka subscription spaces the datagrams it sends: as fast as records come, or as they arrived at the source. */
public enum KafkaPacing {
    /** Each record is sent as soon as it is read. */
    NONE,
    /** The gaps between a flow's arrival times are kept (up to a bound), as far as the records come in time. */
    ORIGINAL;

    public String keyword() {
        return name().toLowerCase(Locale.ROOT);
    }
}
