package dev.mcgate.igmp;

import dev.mcgate.net.IpAddress;
import dev.mcgate.net.Subscription;

/**
 * Told, on the loop thread, whenever the RFC 3376 §6.3 subscription of one group on one router interface changes:
 * EXCLUDE(X,Y) state is {@code Subscription.exclude(Y)}, INCLUDE(A) is {@code Subscription.include(A)}, and a group
 * whose record is deleted is {@link Subscription#NONE}. This is what the proxy (RFC 4605) merges across interfaces.
 */
@FunctionalInterface
public interface MembershipListener {

    void subscriptionChanged(String interfaceName, IpAddress group, Subscription now);
}
