package dev.mcgate.lab;

import dev.mcgate.net.Ip6;
import java.util.Optional;

/** Finds an interface's usable IPv6 link-local address in what {@code ip -6 -o addr show dev IF} prints. */
final class LinkLocalAddress {

    private LinkLocalAddress() {}

    /**
     * The first link-local address in the listing that the kernel lets sockets use: not tentative (duplicate address
     * detection still running) and not dadfailed. One line per address, e.g.
     * {@code 3: up0    inet6 fe80::3814:d9ff:fe83:5137/64 scope link \       valid_lft forever preferred_lft forever}.
     */
    static Optional<Ip6> usable(String listing) {
        for (String line : listing.split("\n")) {
            String[] fields = line.trim().split("\\s+");
            for (int i = 0; i + 1 < fields.length; i++) {
                if (!fields[i].equals("inet6")) {
                    continue;
                }
                String text = fields[i + 1];
                int slash = text.indexOf('/');
                Ip6 address;
                try {
                    address = Ip6.parse(slash < 0 ? text : text.substring(0, slash));
                } catch (IllegalArgumentException e) {
                    continue; // not an address: some other iproute2 output shape; look on
                }
                if (address.isLinkLocalUnicast() && !hasFlag(fields, "tentative") && !hasFlag(fields, "dadfailed")) {
                    return Optional.of(address);
                }
            }
        }
        return Optional.empty();
    }

    private static boolean hasFlag(String[] fields, String flag) {
        for (String field : fields) {
            if (field.equals(flag)) {
                return true;
            }
        }
        return false;
    }
}
