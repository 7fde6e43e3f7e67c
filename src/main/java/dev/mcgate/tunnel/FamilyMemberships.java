package dev.mcgate.tunnel;

import dev.mcgate.net.IpAddress;
import dev.mcgate.net.IpFamily;
import dev.mcgate.net.Subscription;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The membership exchange of one tunnel end for both address families: IPv4 groups travel in MEMBERSHIP messages,
 * IPv6 groups in MEMBERSHIP6 messages, each family with its own generations and parts, so that a peer that knows
 * only IPv4 keeps its IPv4 membership while it drops the IPv6 messages as an unknown type. Not thread-safe: the loop's.
 *
 * <p>MEMBERSHIP6 is sent only once this side has asked for an IPv6 group (then on, also when it asks for none, to
 * withdraw them): a tunnel used for IPv4 alone sends an older peer nothing it cannot read.
 */
final class FamilyMemberships {

    /** One message's type and payload. */
    record Message(int type, byte[] payload) {}

    private final MembershipExchange v4 = new MembershipExchange(IpFamily.IPV4);
    private final MembershipExchange v6 = new MembershipExchange(IpFamily.IPV6);
    private Map<IpAddress, Subscription> remote = Map.of();

    /** The message type that carries {@code family}'s membership. */
    static int messageType(IpFamily family) {
        return family == IpFamily.IPV4 ? TunnelWire.MEMBERSHIP : TunnelWire.MEMBERSHIP6;
    }

    /** Takes this side's new membership (both families); false if it is the one it had. */
    boolean setLocal(Map<? extends IpAddress, Subscription> groups) {
        Map<IpAddress, Subscription> four = new HashMap<>();
        Map<IpAddress, Subscription> six = new HashMap<>();
        groups.forEach((g, s) -> (g.family() == IpFamily.IPV4 ? four : six).put(g, s));
        boolean changed = v4.setLocal(four);
        return v6.setLocal(six) | changed;
    }

    /** This side's membership as messages whose payloads are at most {@code maxPayload} octets. */
    List<Message> localMessages(int maxPayload) {
        List<Message> out = new ArrayList<>();
        v4.localParts(maxPayload).forEach(p -> out.add(new Message(TunnelWire.MEMBERSHIP, p)));
        if (v6.everWanted()) {
            v6.localParts(maxPayload).forEach(p -> out.add(new Message(TunnelWire.MEMBERSHIP6, p)));
        }
        return out;
    }

    /** One part from the peer in a message of {@code type}; {@link #remote} has the result when CHANGED. */
    MembershipExchange.Outcome receivePart(int type, byte[] plain, int n) {
        MembershipExchange exchange = type == TunnelWire.MEMBERSHIP6 ? v6 : v4;
        MembershipExchange.Outcome outcome = exchange.receivePart(plain, n);
        if (outcome == MembershipExchange.Outcome.CHANGED) {
            merge();
        }
        return outcome;
    }

    /** A new session: the peer numbers its generations afresh. */
    void newSession() {
        v4.newSession();
        v6.newSession();
    }

    /** The peer is gone: its membership of both families is forgotten; true if there was any. */
    boolean withdrawRemote() {
        boolean any = v4.withdrawRemote() | v6.withdrawRemote();
        merge();
        return any;
    }

    /** The peer's membership, both families. */
    Map<IpAddress, Subscription> remote() {
        return remote;
    }

    int localSize() {
        return v4.localSize() + v6.localSize();
    }

    private void merge() {
        Map<IpAddress, Subscription> all = new HashMap<>(v4.remote());
        all.putAll(v6.remote());
        remote = Map.copyOf(all);
    }
}
