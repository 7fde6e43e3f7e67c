/**
 * The host side on an upstream interface (RFC 3376 §5, RFC 4605 §4.1): the state mcgate advertises, state-change records as a pure diff, retransmissions, answers to upstream queries, older-querier compatibility.
 *
 * <p>Threads: loop thread only.
 */
package dev.mcgate.host;
