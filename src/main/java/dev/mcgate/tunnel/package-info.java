/**
 * The mcgate-to-mcgate tunnel: carries multicast datagrams and the receiving side's membership over unicast UDP
 * between two mcgate instances, authenticated and encrypted with a pre-shared key.
 *
 * <p>Owns the wire format ({@link dev.mcgate.tunnel.TunnelWire}), the key schedule (HKDF, RFC 5869), the AES-GCM
 * sessions with per-direction counters and replay windows (RFC 4303 §3.4.3 / RFC 6479), the forward-secret session
 * handshake (ephemeral X25519 with the pre-shared key mixed in, rekeyed every 120 s), the liveness state and the
 * membership codec. Pure: no sockets, no wall clock of its own (time, wall time and randomness
 * are injected), so it is tested without sleeping.
 *
 * <p>Threads: {@link dev.mcgate.tunnel.TunnelEndpoint} has two paths. The data path (sealing on capture threads,
 * opening on the socket's receive thread) reads the immutable sessions the loop publishes through a volatile field and
 * takes no lock the loop takes; the control path ({@code PeerControl}: handshake, liveness, membership) runs on the
 * loop only, with its timers, and hears of authentic control messages through posted events.
 */
package dev.mcgate.tunnel;
