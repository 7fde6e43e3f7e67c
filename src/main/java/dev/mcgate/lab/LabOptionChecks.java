package dev.mcgate.lab;

import dev.mcgate.net.Ip4;
import dev.mcgate.net.Ip6;
import dev.mcgate.net.IpAddress;
import dev.mcgate.net.IpFamily;
import java.time.Duration;

/** The option checks that sender and receiver share, each failing with a message that names the option. */
public final class LabOptionChecks {

    private LabOptionChecks() {}

    /** The family's multicast range, as the error messages name it. */
    public static String multicastRange(IpFamily family) {
        return family == IpFamily.IPV4 ? "224.0.0.0/4" : "ff00::/8";
    }

    static void group(IpAddress group) {
        if (group == null || !group.isMulticast()) {
            String range = multicastRange(group == null ? IpFamily.IPV4 : group.family());
            throw new IllegalArgumentException("--group " + group + " is not a multicast address (" + range + ")");
        }
    }

    /**
     * A source must be of the group's family: an IPv6 socket cannot send from or filter on an IPv4 address, and the
     * kernel's answer to trying (EINVAL, EAFNOSUPPORT) would not say which option is wrong.
     */
    static void sameFamily(IpAddress group, IpAddress source) {
        if (source != null && source.family() != group.family()) {
            throw new IllegalArgumentException("--source " + source + " is an " + source.family()
                    + " address but --group " + group + " is " + group.family());
        }
    }

    /** A unicast address to receive from: not multicast, not unspecified, not the IPv4 broadcast address. */
    static boolean isUnicast(IpAddress address) {
        if (address instanceof Ip4 a) {
            return !a.isMulticast() && !a.equals(Ip4.ANY) && a.bits() != -1;
        }
        Ip6 a = (Ip6) address;
        return !a.isMulticast() && !a.isUnspecified();
    }

    static void port(int port) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("--port " + port + " must be 1..65535");
        }
    }

    /** {@code 2.5} as "2.5" and {@code 100.0} as "100", as the user typed it. */
    static String number(double value) {
        return Double.isFinite(value)
                ? java.math.BigDecimal.valueOf(value).stripTrailingZeros().toPlainString()
                : Double.toString(value);
    }

    static void count(long count) {
        if (count < 0) {
            throw new IllegalArgumentException("--count " + count + " must be >= 0 (0 = no limit)");
        }
    }

    static void duration(String option, Duration duration) {
        if (duration != null && (duration.isNegative() || duration.isZero())) {
            throw new IllegalArgumentException(option + " must be positive, got " + duration.toMillis() + " ms");
        }
    }
}
