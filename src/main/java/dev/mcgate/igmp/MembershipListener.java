package dev.mcgate.igmp;

import dev.mcgate.net.Ip4;
import dev.mcgate.net.Subscription;

/**
 * Told, on the loop thread, whenever what a downstream interface wants of a group changes ({@link Subscription#NONE}
 * when the group is gone from that interface).
 */
@FunctionalInterface
public interface MembershipListener {
    void subscriptionChanged(String interfaceName, Ip4 group, Subscription now);
}
