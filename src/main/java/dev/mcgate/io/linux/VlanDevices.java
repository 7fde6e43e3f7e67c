package dev.mcgate.io.linux;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Which interfaces carry 802.1Q devices of the kernel's 8021q module, from {@code /proc/thread-self/net/vlan/config}
 * (the reading thread's namespace; absent while the module is not loaded, when there are none). On such an
 * interface a driver may take the tag out of the frame into metadata that an XDP program cannot see, so the af-xdp
 * engine leaves it alone: the VLAN's frames must reach its device, not be forwarded as the parent's.
 */
final class VlanDevices {

    private static final Path CONFIG = Path.of("/proc/thread-self/net/vlan/config");

    private VlanDevices() {}

    /** Whether {@code parent} has VLAN devices on it now; true where the table cannot be read (the safe answer). */
    static boolean on(String parent) {
        try {
            return parents(Files.readString(CONFIG)).contains(parent);
        } catch (NoSuchFileException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    /** The parent interfaces named in the table's rows ({@code eth0.100 | 100 | eth0}). */
    static Set<String> parents(String table) {
        Set<String> parents = new LinkedHashSet<>();
        for (String line : table.split("\n")) {
            String[] fields = line.split("\\|");
            if (fields.length == 3
                    && !fields[1].strip().isEmpty()
                    && fields[1].strip().chars().allMatch(Character::isDigit)) {
                parents.add(fields[2].strip());
            }
        }
        return parents;
    }
}
