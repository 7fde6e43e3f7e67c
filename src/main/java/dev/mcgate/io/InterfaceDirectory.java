package dev.mcgate.io;

import java.util.List;
import java.util.Optional;

/**
 * Where interfaces are looked up: the operating system on a real system, a fixed list in tests.
 */
public interface InterfaceDirectory {

    /** Every interface that exists now, loopback included. */
    List<NetInterface> list();

    default Optional<NetInterface> find(String name) {
        return list().stream().filter(i -> i.name().equals(name)).findFirst();
    }
}
