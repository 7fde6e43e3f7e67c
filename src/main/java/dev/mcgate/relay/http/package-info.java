/**
 * The HTTP relay: multicast groups streamed to HTTP clients (players) over udpxy's URLs, as a consumer of the local
 * receivers in {@link dev.mcgate.relay}.
 *
 * <p>Threads: {@link dev.mcgate.relay.http.HttpRelayServer}'s one thread ({@code mcgate-http}) owns every client
 * socket, the request parsing, the limits and the status page; capture threads only queue payload slices into each
 * client's {@link dev.mcgate.relay.http.ClientQueue} and wake the server (never blocking); joins and leaves are posted
 * to the event loop, which owns the membership book. Counters are read from any thread.
 */
package dev.mcgate.relay.http;
