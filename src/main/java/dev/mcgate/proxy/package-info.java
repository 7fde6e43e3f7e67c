/**
 * The RFC 4605 core: merges the downstream memberships after filters, drives the upstream host side and publishes forwarding tables.
 *
 * <p>Entry point: {@link dev.mcgate.proxy.ProxyCore}. Downstream membership changes come in as
 * {@link dev.mcgate.igmp.MembershipListener} events; each downstream's state is filtered
 * ({@link dev.mcgate.proxy.InterfaceFilter}), merged per group ({@link dev.mcgate.proxy.MembershipMerge}, held in the
 * {@link dev.mcgate.proxy.MembershipDatabase}), filtered again by the group's upstream and handed to that upstream's
 * {@link dev.mcgate.host.HostInterface}. Every change publishes a new immutable
 * {@link dev.mcgate.proxy.MembershipSnapshot} for the forwarding plane.
 *
 * <p>Threads: loop thread only; the snapshots it publishes are immutable and may be read from any thread.
 */
package dev.mcgate.proxy;
