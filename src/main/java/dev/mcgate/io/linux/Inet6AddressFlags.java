package dev.mcgate.io.linux;

import dev.mcgate.net.Ip6;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Which IPv6 addresses are still tentative (Duplicate Address Detection not finished, or failed), from the kernel's
 * {@code if_inet6} table: getifaddrs(3) lists them with the others and without their flags.
 *
 * <p>Read from {@code /proc/thread-self/net}: the calling thread's network namespace, which the daemon's reading
 * thread may have entered (setns), where {@code /proc/self/net} would show the process's.
 */
final class Inet6AddressFlags {

    static final Path IF_INET6 = Path.of("/proc/thread-self/net/if_inet6");

    /** linux/if_addr.h. */
    static final int IFA_F_OPTIMISTIC = 0x04;

    static final int IFA_F_DADFAILED = 0x08;
    static final int IFA_F_TENTATIVE = 0x40;

    /** One tentative address: its interface's index and the address. */
    record Key(int ifindex, Ip6 address) {}

    private Inet6AddressFlags() {}

    /** The tentative addresses now; none if the table cannot be read (no IPv6, an old kernel): all count as usable. */
    static Set<Key> tentative() {
        try {
            return tentative(Files.readString(IF_INET6));
        } catch (IOException | RuntimeException e) {
            return Set.of();
        }
    }

    /**
     * From the table's text, one address a line: {@code ADDRESS(32 hex) IFINDEX PREFIXLEN SCOPE FLAGS NAME}, numbers
     * in hex. An optimistic address (RFC 4429) is tentative and usable; one whose DAD failed is never usable. Lines
     * that do not parse are skipped.
     */
    static Set<Key> tentative(String table) {
        Set<Key> out = new HashSet<>();
        for (String line : table.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 6 || f[0].length() != 32) {
                continue;
            }
            try {
                int flags = Integer.parseInt(f[4], 16);
                boolean usable = (flags & IFA_F_DADFAILED) == 0
                        && ((flags & IFA_F_TENTATIVE) == 0 || (flags & IFA_F_OPTIMISTIC) != 0);
                if (!usable) {
                    out.add(new Key(Integer.parseInt(f[1], 16), Ip6.parse(colons(f[0]))));
                }
            } catch (IllegalArgumentException e) {
                // not a line of the table: skipped
            }
        }
        return Set.copyOf(out);
    }

    private static String colons(String hex) {
        StringBuilder out = new StringBuilder(39);
        for (int i = 0; i < 32; i += 4) {
            if (i > 0) {
                out.append(':');
            }
            out.append(hex, i, i + 4);
        }
        return out.toString().toLowerCase(Locale.ROOT);
    }
}
