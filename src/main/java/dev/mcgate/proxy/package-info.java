/**
 * The RFC 4605 core: merges the downstream memberships after filters, drives the upstream host side and publishes forwarding tables.
 *
 * <p>Threads: loop thread only; the forwarding tables it publishes are immutable.
 */
package dev.mcgate.proxy;
