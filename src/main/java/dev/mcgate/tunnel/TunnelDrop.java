package dev.mcgate.tunnel;

/** Why a tunnel message was dropped; each reason has its own counter. */
public enum TunnelDrop {
    /** From an address or port other than the configured peer. */
    WRONG_PEER,
    /** Shorter than a header and a tag. */
    TRUNCATED,
    /** Longer than the configured path MTU allows. */
    OVERSIZED,
    /** Unknown version or message type. */
    BAD_HEADER,
    /** A handshake message or keepalive not of its one exact length (checked before any cryptography). */
    BAD_LENGTH,
    /** A session id that is neither the current, the previous nor the pending session (an old session's packets). */
    UNKNOWN_SESSION,
    /** The GCM tag did not verify: a wrong key, or a modified message. */
    AUTH_FAILED,
    /** A message under a session older than the reject-after time (180 s): its keys are not used any more. */
    EXPIRED_SESSION,
    /** An authentic handshake that names another endpoint than this end's address and port (a redirected one). */
    WRONG_ENDPOINT,
    /** An INIT that came under load without a valid mac2; the peer was sent a cookie (if the reply budget allowed). */
    COOKIE_REQUIRED,
    /** An INIT past the handshake rate limit even with a valid cookie. */
    HANDSHAKE_RATE,
    /** A counter already seen or older than the replay window. */
    REPLAYED,
    /** A handshake message that is authentic but stale: an INIT not newer than the last, a RESPONSE to no INIT. */
    STALE_HANDSHAKE,
    /** Authentic, but its content does not decode. */
    BAD_PAYLOAD,
    /**
     * Authentic control message (handshake, membership) not handed to the loop: the tunnel's share of the loop's
     * inbox was full (a flood of replayed handshakes, or a loop that is behind). The peer sends again.
     */
    CONTROL_BACKLOG,
    /** Authentic data whose inner packet is no well-formed IPv4 or IPv6 header: the remap and TTL rewrite refused it. */
    REWRITE_FAILED,
    /** A receive call on the tunnel's socket that failed (an ICMP error for an earlier send, as a rule). */
    RECEIVE_ERROR,
    /** Datagrams the kernel dropped because the socket's receive buffer was full (/proc/net/udp {@code drops}). */
    SOCKET_OVERFLOW,
    /** Outgoing: a datagram larger than the tunnel's inner MTU (the path MTU minus the encapsulation). */
    MTU_EXCEEDED,
    /** Outgoing: no session with the peer (not yet, or the peer is down, or the session is past its reject-after). */
    NO_SESSION;

    static final TunnelDrop[] VALUES = values();

    /** Whether it is counted against what was to be sent into the tunnel (direction {@code out}), not received. */
    public boolean outgoing() {
        return this == MTU_EXCEEDED || this == NO_SESSION;
    }

    /** As counters and metrics show it: lower case with dashes ({@code auth-failed}). */
    public String keyword() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
}
