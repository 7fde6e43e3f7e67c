package dev.mcgate.daemon;

import dev.mcgate.packet.MldDone;
import dev.mcgate.packet.MldMessage;
import dev.mcgate.packet.MldV1Query;
import dev.mcgate.packet.MldV1Report;
import dev.mcgate.packet.MldV2Query;
import dev.mcgate.packet.MldV2Report;

/** What an MLD message heard on an interface was counted as: its type, our own, or malformed. */
public enum MldKind {
    V1_REPORT("v1-report"),
    V2_REPORT("v2-report"),
    DONE("done"),
    V1_QUERY("v1-query"),
    V2_QUERY("v2-query"),
    /** Sent from one of this host's own addresses: our own query, seen again through another handle. */
    OWN("own"),
    /**
     * Did not decode; counted by {@link dev.mcgate.packet.MalformedMldException.Reason}. Stays last: the intake keeps
     * the reasons' slots from this ordinal on.
     */
    MALFORMED("malformed");

    static final MldKind[] VALUES = values();

    private final String keyword;

    MldKind(String keyword) {
        this.keyword = keyword;
    }

    /** As counters and metrics show it, in the RFCs' words ({@code v2-report}). */
    public String keyword() {
        return keyword;
    }

    static MldKind of(MldMessage message) {
        if (message instanceof MldV2Report) {
            return V2_REPORT;
        } else if (message instanceof MldV1Report) {
            return V1_REPORT;
        } else if (message instanceof MldDone) {
            return DONE;
        } else if (message instanceof MldV2Query) {
            return V2_QUERY;
        } else if (message instanceof MldV1Query) {
            return V1_QUERY;
        }
        throw new IllegalArgumentException("no kind for " + message.getClass().getSimpleName());
    }
}
