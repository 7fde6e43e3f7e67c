package dev.mcgate.daemon;

import dev.mcgate.proxy.MembershipSnapshot;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Hands each membership snapshot the proxy publishes to everyone built to follow it (the forwarding plane, the
 * tunnels), so that the proxy can be built before they are. Loop thread: snapshots are published on the loop.
 */
final class MembershipFanout implements Consumer<MembershipSnapshot> {

    private final List<Consumer<MembershipSnapshot>> followers = new CopyOnWriteArrayList<>();

    void follow(Consumer<MembershipSnapshot> follower) {
        followers.add(follower);
    }

    @Override
    public void accept(MembershipSnapshot snapshot) {
        followers.forEach(f -> f.accept(snapshot));
    }
}
