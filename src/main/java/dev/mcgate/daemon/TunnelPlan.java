package dev.mcgate.daemon;

import dev.mcgate.config.ConfigDiff;
import dev.mcgate.config.TunnelConfig;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What a reload does to one tunnel that is in both the old and the new file: nothing, change settings in place, or
 * close and reopen it. Pure: the caller reads the key files and acts on the plan ({@link Tunnels}).
 *
 * <p>Per setting, and why:
 * <ul>
 * <li>{@code role}, {@code local}, {@code peer} and the key <b>reopen</b>: they define the session. The handshake keys
 * are derived per role and the session keys from the key; the peer accepts messages only from our address and port
 * (a new local address would be dropped there as WRONG_PEER); a new peer has no session with us.</li>
 * <li>{@code keepalive} and {@code dead-interval} change <b>in place</b>: they are timers beside the session, not part
 * of its keys, counters or replay windows ({@code TunnelEndpoint.retune}).</li>
 * <li>{@code mtu} changes <b>in place</b>: it only sizes what is sent and accepted from the next message on; nothing
 * in the session depends on it. Datagrams that no longer fit are dropped and counted, as they would be after a
 * restart.</li>
 * <li>{@code ttl} and {@code remap} change <b>in place</b>: the receive thread rewrites each datagram with the rewrite
 * it reads once per datagram, so the switch falls between two datagrams. A new remap also changes which far-side
 * groups are asked for: the membership is sent again.</li>
 * <li>The interface settings of the tunnel (TTL threshold, filters, boundaries from {@code defaults}) change <b>in
 * place</b>, through the proxy and the forwarding table as for any interface.</li>
 * <li>{@code key-file} naming another file that holds the same key changes nothing but the name.</li>
 * </ul>
 *
 * @param action  what to do
 * @param changes what differs, as the file's keywords with old and new values ({@code ttl 8 -> 16}); empty for NONE
 */
public record TunnelPlan(Action action, List<String> changes) {

    /** What to do with the tunnel. */
    public enum Action {
        NONE,
        IN_PLACE,
        REOPEN
    }

    public TunnelPlan {
        Objects.requireNonNull(action, "action");
        changes = List.copyOf(changes);
    }

    /**
     * @param keyBefore the key the running tunnel was opened with
     * @param keyAfter  the key its key file holds now; null if it cannot be read, which keeps the running key (a
     *                  reload must not break a working session over a file it cannot read; the caller says so)
     */
    public static TunnelPlan between(TunnelConfig before, byte[] keyBefore, TunnelConfig after, byte[] keyAfter) {
        List<String> reopen = new ArrayList<>();
        compare(reopen, "role", before.role().keyword(), after.role().keyword());
        compare(
                reopen,
                "local",
                before.localAddress() + ":" + before.localPort(),
                after.localAddress() + ":" + after.localPort());
        compare(
                reopen,
                "peer",
                before.peerAddress() + ":" + before.peerPort(),
                after.peerAddress() + ":" + after.peerPort());
        boolean sameKey = keyAfter == null || MessageDigest.isEqual(keyBefore, keyAfter);
        boolean samePath = before.keyFile().equals(after.keyFile());
        if (!sameKey) {
            reopen.add(
                    samePath
                            ? "key-file " + after.keyFile() + ": another key"
                            : "key-file " + before.keyFile() + " -> " + after.keyFile() + ", another key");
        }
        List<String> inPlace = new ArrayList<>();
        if (sameKey && !samePath) {
            inPlace.add("key-file " + before.keyFile() + " -> " + after.keyFile() + " (same key)");
        }
        compare(inPlace, "keepalive", text(before.keepalive()), text(after.keepalive()));
        compare(inPlace, "dead-interval", text(before.deadInterval()), text(after.deadInterval()));
        compare(inPlace, "mtu", before.mtu(), after.mtu());
        compare(inPlace, "ttl", ttl(before.ttl()), ttl(after.ttl()));
        compare(inPlace, "remap", before.remap(), after.remap());
        // The role is listed above; the rest of the interface settings come from the defaults block.
        ConfigDiff.settingsChanged(before.asInterface(), after.asInterface()).stream()
                .filter(line -> !line.startsWith("role "))
                .forEach(inPlace::add);
        if (!reopen.isEmpty()) {
            List<String> all = new ArrayList<>(reopen);
            all.addAll(inPlace);
            return new TunnelPlan(Action.REOPEN, all);
        }
        return new TunnelPlan(inPlace.isEmpty() ? Action.NONE : Action.IN_PLACE, inPlace);
    }

    private static void compare(List<String> out, String keyword, Object before, Object after) {
        if (!before.equals(after)) {
            out.add(keyword + " " + before + " -> " + after);
        }
    }

    private static String ttl(int ttl) {
        return ttl == 0 ? "keep" : Integer.toString(ttl);
    }

    private static String text(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
    }
}
