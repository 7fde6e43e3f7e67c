package dev.mcgate.net;

/**
 * The filter mode of a multicast reception state (RFC 3376 §3.1): receive only from the listed sources, or from all
 * but the listed sources.
 */
public enum FilterMode {
    INCLUDE,
    EXCLUDE
}
