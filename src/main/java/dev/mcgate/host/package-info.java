/**
 * The host side on an upstream interface, for IGMP and MLD alike (RFC 3376 §5, RFC 9777 §6, RFC 4605 §4.1): the state
 * mcgate advertises, state-change records as a pure diff, retransmissions, answers to upstream queries, older-querier
 * compatibility.
 *
 * <p>Entry point: {@link dev.mcgate.host.HostInterface}, one per family per open upstream. It says what to
 * send through an {@link dev.mcgate.packet.IgmpSender} or an {@link dev.mcgate.packet.MldSender} and which multicast MACs the NIC must accept through a
 * {@link dev.mcgate.host.LinkFilter}; both are implemented by the daemon. No byte work, no I/O, no wall clock: time and
 * randomness come from the injected {@code Scheduler} and {@code RandomSource}.
 *
 * <p>Threads: loop thread only.
 */
package dev.mcgate.host;
