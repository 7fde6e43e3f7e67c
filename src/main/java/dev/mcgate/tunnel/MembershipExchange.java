package dev.mcgate.tunnel;

import dev.mcgate.net.IpAddress;
import dev.mcgate.net.IpFamily;
import dev.mcgate.net.Subscription;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The membership exchange of one address family at one tunnel end, on the loop: the full membership this side asks for (numbered by
 * generation, sent in parts that fit a message) and the peer's, reassembled from its parts and applied whole, once
 * per generation. Not thread-safe: the loop's.
 */
final class MembershipExchange {

    /** What one received part did. */
    enum Outcome {
        MALFORMED,
        OLD,
        INCOMPLETE,
        UNCHANGED,
        CHANGED
    }

    private final IpFamily family;
    private Map<IpAddress, Subscription> local = Map.of();
    private long localGeneration;
    private Map<IpAddress, Subscription> remote = Map.of();
    private long appliedGeneration = -1;
    private long assemblingGeneration = -1;
    private int assemblingCount;
    private final Map<Integer, Map<IpAddress, Subscription>> assembling = new HashMap<>();

    MembershipExchange(IpFamily family) {
        this.family = family;
    }

    /** Takes this side's new membership; false if it is the one it had (nothing to send). */
    boolean setLocal(Map<IpAddress, Subscription> groups) {
        Map<IpAddress, Subscription> copy = Map.copyOf(groups);
        if (copy.equals(local)) {
            return false;
        }
        local = copy;
        localGeneration++;
        return true;
    }

    /** This side's membership as message payloads of at most {@code maxPayload} octets. */
    List<byte[]> localParts(int maxPayload) {
        return MembershipCodec.encode(family, local, localGeneration, maxPayload);
    }

    /** One part from the peer ({@code n} octets of {@code plain}); {@link #remote} has the result when CHANGED. */
    Outcome receivePart(byte[] plain, int n) {
        MembershipCodec.Part part = MembershipCodec.decode(family, plain, n);
        if (part == null) {
            return Outcome.MALFORMED;
        }
        long g = part.generation();
        if (g <= appliedGeneration || g < assemblingGeneration) {
            return Outcome.OLD;
        }
        if (g != assemblingGeneration) {
            assemblingGeneration = g;
            assemblingCount = part.count();
            assembling.clear();
        }
        if (part.count() != assemblingCount) {
            return Outcome.MALFORMED;
        }
        assembling.put(part.index(), part.groups());
        if (assembling.size() < assemblingCount) {
            return Outcome.INCOMPLETE;
        }
        Map<IpAddress, Subscription> full = new TreeMap<>();
        assembling.values().forEach(m -> m.forEach((group, s) -> full.merge(group, s, MembershipCodec::unite)));
        appliedGeneration = g;
        assembling.clear();
        Map<IpAddress, Subscription> now = Map.copyOf(full);
        if (now.equals(remote)) {
            return Outcome.UNCHANGED;
        }
        remote = now;
        return Outcome.CHANGED;
    }

    /** A new session: the peer numbers its generations afresh (a restarted peer starts at 1 again). */
    void newSession() {
        appliedGeneration = -1;
        assemblingGeneration = -1;
        assembling.clear();
    }

    /** The peer is gone: its membership is forgotten; true if there was any (the listener must hear it). */
    boolean withdrawRemote() {
        newSession();
        if (remote.isEmpty()) {
            return false;
        }
        remote = Map.of();
        return true;
    }

    Map<IpAddress, Subscription> remote() {
        return remote;
    }

    /** Whether this side has ever asked for a group of its family (its generation has moved). */
    boolean everWanted() {
        return localGeneration > 0;
    }

    int localSize() {
        return local.size();
    }
}
