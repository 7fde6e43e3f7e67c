package dev.mcgate.relay.http;

import dev.mcgate.net.IpAddress;
import dev.mcgate.relay.LocalMemberships;
import dev.mcgate.time.TokenBucket;
import java.util.function.LongSupplier;

/**
 * Bounds the groups the relay joins upstream as a LAN's are bounded: at most the relay interface's {@code max-groups}
 * held (joined or lingering: a zapping client holds every channel it passed for the linger), and new groups at most
 * {@code http-join-rate} a second (a token bucket, as {@code igmp-rate}). A group already held costs nothing.
 *
 * <p>Threads: the loop's (it reads the book).
 */
final class JoinGate {

    private final int maxGroups;
    private final TokenBucket rate;

    JoinGate(int maxGroups, int joinRate, LongSupplier nanoClock) {
        this.maxGroups = maxGroups;
        this.rate = new TokenBucket(joinRate, nanoClock);
    }

    /** Why {@code group} may not be joined now, or null if it may (a new group takes a token). */
    RelayRequest.Refusal check(LocalMemberships book, IpAddress group) {
        if (book.holds(group)) {
            return null;
        }
        if (book.groupsHeld() >= maxGroups) {
            return new RelayRequest.Refusal(
                    RefusalKind.MAX_GROUPS,
                    "the relay holds max-groups " + maxGroups + " groups (lingering ones included); try again later");
        }
        if (!rate.tryTake()) {
            return new RelayRequest.Refusal(
                    RefusalKind.JOIN_RATE, "more than http-join-rate " + rate.rate() + " new groups a second");
        }
        return null;
    }

    int maxGroups() {
        return maxGroups;
    }

    int joinRate() {
        return rate.rate();
    }
}
