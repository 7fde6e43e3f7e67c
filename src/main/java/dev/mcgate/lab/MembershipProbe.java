package dev.mcgate.lab;

import dev.mcgate.net.Ip4;
import java.util.Set;

/**
 * How the benchmark learns which groups mcgate holds on a downstream. One method, so that reading mcgate's log can be
 * replaced by {@code mcgate groups --json} once the control socket exists.
 */
interface MembershipProbe {

    /** The groups mcgate forwards to {@code downstream} now (any filter mode but an empty INCLUDE). */
    Set<Ip4> joinedGroups(String downstream) throws LabException;
}
