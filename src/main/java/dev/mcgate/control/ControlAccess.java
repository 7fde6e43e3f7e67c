package dev.mcgate.control;

import java.util.Optional;
import java.util.Set;

/**
 * Who may ask what of the control socket. Reaching the socket at all is the kernel's check: the socket file is 0660,
 * owned by mcgate's user and group, so only root, that user and the members of that group can connect. Among those,
 * the peer's credentials ({@code SO_PEERCRED}, as the kernel recorded them at connect) decide the rest: requests that
 * only read (status, groups, routes, counters, ping) are for anyone who could connect; {@code reload}, which changes
 * what the daemon does, only for root and the daemon's own user.
 */
public final class ControlAccess {

    /** The requests that only read; any other (reload, and whatever is added later) is for the privileged peers. */
    static final Set<String> READ_ONLY = Set.of("status", "groups", "routes", "counters", "ping");

    /** Who is on the other end of a connection, as far as this decision goes. */
    public enum Peer {
        /** uid 0, or the uid mcgate runs as. */
        ROOT_OR_DAEMON_USER,
        /** Anyone else who could connect: a member of the socket's group. */
        GROUP_MEMBER
    }

    private ControlAccess() {}

    /** Why {@code peer} may not make {@code request}, if it may not: the sentence for the client. */
    public static Optional<String> refusal(ControlRequest request, Peer peer) {
        if (!READ_ONLY.contains(request.command()) && peer != Peer.ROOT_OR_DAEMON_USER) {
            return Optional.of(request.command() + " is for root and mcgate's own user; members of the socket's "
                    + "group may only read (status, groups, routes, counters)");
        }
        return Optional.empty();
    }
}
