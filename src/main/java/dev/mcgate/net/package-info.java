/**
 * Value types shared by every layer: IPv4 and IPv6 addresses, IPv4 prefixes, MAC addresses, immutable source sets, and the multicast address classes (link-local 224.0.0.0/24, administratively scoped 239/8, SSM 232/8).
 *
 * <p>Threads: immutable values, safe on any thread.
 */
package dev.mcgate.net;
