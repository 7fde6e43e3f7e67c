package dev.mcgate.e2e;

import java.util.ArrayList;
import java.util.List;

/** What a test lab opened (processes, captures, relays), closed newest first; one failure does not stop the rest. */
final class OpenedResources {

    private final List<AutoCloseable> resources = new ArrayList<>();

    synchronized void add(AutoCloseable resource) {
        resources.add(resource);
    }

    /** What is open now, oldest first. */
    synchronized List<AutoCloseable> open() {
        return List.copyOf(resources);
    }

    /** Closes everything, newest first, and forgets it; returns the first failure, or null if there was none. */
    Exception closeAll() {
        List<AutoCloseable> toClose;
        synchronized (this) {
            toClose = new ArrayList<>(resources);
            resources.clear();
        }
        Exception first = null;
        for (int i = toClose.size() - 1; i >= 0; i--) {
            try {
                toClose.get(i).close();
            } catch (Exception e) {
                first = first == null ? e : first;
            }
        }
        return first;
    }
}
