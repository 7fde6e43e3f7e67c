/**
 * Wire formats: Ethernet (with 802.1Q), IPv4 with options (Router Alert), IGMP v1/v2/v3 messages as records under a sealed interface, checksums and the RFC 3376 §4.1.1 floating-point code; IPv6 with a Hop-by-Hop Router Alert, MLDv1/MLDv2 messages under their own sealed interface, the ICMPv6 pseudo-header checksum and the RFC 9777 §5.1.3 code. Decoding throws {@code MalformedPacketException} (IGMP) or {@code MalformedMldException} (MLD) with a reason; flyweight views read (and for IPv4 rewrite) data frames without allocating.
 *
 * <p>Threads: decoders and encoders are stateless and safe on any thread; a flyweight view belongs to the thread that holds it (a capture thread).
 */
package dev.mcgate.packet;
