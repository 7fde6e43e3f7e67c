package dev.mcgate.tunnel;

import dev.mcgate.net.Ip4;
import dev.mcgate.net.Subscription;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The membership exchange of one tunnel end, on the loop: the full membership this side asks for (numbered by
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

    private Map<Ip4, Subscription> local = Map.of();
    private long localGeneration;
    private Map<Ip4, Subscription> remote = Map.of();
    private long appliedGeneration = -1;
    private long assemblingGeneration = -1;
    private int assemblingCount;
    private final Map<Integer, Map<Ip4, Subscription>> assembling = new HashMap<>();

    /** Takes this side's new membership; false if it is the one it had (nothing to send). */
    boolean setLocal(Map<Ip4, Subscription> groups) {
        Map<Ip4, Subscription> copy = Map.copyOf(groups);
        if (copy.equals(local)) {
            return false;
        }
        local = copy;
        localGeneration++;
        return true;
    }

    /** This side's membership as message payloads of at most {@code maxPayload} octets. */
    List<byte[]> localParts(int maxPayload) {
        return MembershipCodec.encode(local, localGeneration, maxPayload);
    }

    /** One part from the peer ({@code n} octets of {@code plain}); {@link #remote} has the result when CHANGED. */
    Outcome receivePart(byte[] plain, int n) {
        MembershipCodec.Part part = MembershipCodec.decode(plain, n);
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
        Map<Ip4, Subscription> full = new TreeMap<>();
        assembling.values().forEach(m -> m.forEach((group, s) -> full.merge(group, s, MembershipCodec::unite)));
        appliedGeneration = g;
        assembling.clear();
        Map<Ip4, Subscription> now = Map.copyOf(full);
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

    Map<Ip4, Subscription> remote() {
        return remote;
    }

    int localSize() {
        return local.size();
    }
}
