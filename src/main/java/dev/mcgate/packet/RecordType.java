package dev.mcgate.packet;

/**
 * The six IGMPv3 group record types (RFC 3376 §4.2.12); the same values are used by MLDv2 (RFC 3810 §5.2.12).
 */
public enum RecordType {
    MODE_IS_INCLUDE(1),
    MODE_IS_EXCLUDE(2),
    CHANGE_TO_INCLUDE_MODE(3),
    CHANGE_TO_EXCLUDE_MODE(4),
    ALLOW_NEW_SOURCES(5),
    BLOCK_OLD_SOURCES(6);

    private static final RecordType[] BY_CODE = {
        null,
        MODE_IS_INCLUDE,
        MODE_IS_EXCLUDE,
        CHANGE_TO_INCLUDE_MODE,
        CHANGE_TO_EXCLUDE_MODE,
        ALLOW_NEW_SOURCES,
        BLOCK_OLD_SOURCES
    };

    private final int code;

    RecordType(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** The type for a wire code, or null if the code is not 1..6. */
    public static RecordType fromCode(int code) {
        return code >= 1 && code <= 6 ? BY_CODE[code] : null;
    }

    /** Current-State records answer a query (RFC 3376 §4.2.12 "Current-State Record"). */
    public boolean isCurrentState() {
        return this == MODE_IS_INCLUDE || this == MODE_IS_EXCLUDE;
    }

    /** Filter-Mode-Change records (TO_IN, TO_EX). */
    public boolean isFilterModeChange() {
        return this == CHANGE_TO_INCLUDE_MODE || this == CHANGE_TO_EXCLUDE_MODE;
    }

    /** Source-List-Change records (ALLOW, BLOCK). */
    public boolean isSourceListChange() {
        return this == ALLOW_NEW_SOURCES || this == BLOCK_OLD_SOURCES;
    }

    /**
     * RFC 3376 §4.2.16: a MODE_IS_EXCLUDE or CHANGE_TO_EXCLUDE_MODE record too large for one report is not split:
     * the sources that do not fit are left out. Every other type is split into several records.
     */
    public boolean dropsExcessSources() {
        return this == MODE_IS_EXCLUDE || this == CHANGE_TO_EXCLUDE_MODE;
    }
}
