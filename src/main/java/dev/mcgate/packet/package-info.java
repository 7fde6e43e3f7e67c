/**
 * Wire formats: Ethernet (with 802.1Q), IPv4 with options (Router Alert), IGMP v1/v2/v3 messages as records under a sealed interface, checksums and the RFC 3376 §4.1.1 floating-point code. Decoding throws {@code MalformedPacketException} with a reason; a flyweight view reads and rewrites data frames without allocating.
 *
 * <p>Threads: decoders and encoders are stateless and safe on any thread; a flyweight view belongs to the thread that holds it (a capture thread).
 */
package dev.mcgate.packet;
