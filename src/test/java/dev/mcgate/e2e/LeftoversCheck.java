package dev.mcgate.e2e;

import dev.mcgate.lab.Lab;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Checks, once every test class of the run has finished, that the end-to-end tests left nothing behind: no test lab
 * namespace, no child process, no mcgate capture or namespace thread.
 *
 * <p>The classes run in parallel, so no test class can be sure to run last; the check is a resource of the run's root
 * context instead, which JUnit closes after the last class. A failure there fails the run (the report names it "JUnit
 * Jupiter"). The first end-to-end class to start registers it, so a run of unit tests only does not check.
 */
final class LeftoversCheck implements BeforeAllCallback {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(LeftoversCheck.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent("leftovers", key -> new AtEnd(), AtEnd.class);
    }

    /** Runs the checks when the run's root context closes. */
    private static final class AtEnd implements ExtensionContext.Store.CloseableResource {
        @Override
        public void close() throws Exception {
            List<String> problems = new ArrayList<>();
            List<String> namespaces = leftNamespaces();
            if (!namespaces.isEmpty()) {
                problems.add("namespaces the suite created and did not remove: " + namespaces);
            }
            List<String> children = liveChildren();
            if (!children.isEmpty()) {
                problems.add("processes the suite started and did not end: " + children);
            }
            List<String> threads = mcgateThreads();
            if (!threads.isEmpty()) {
                problems.add("mcgate threads still running after the suite: " + threads);
            }
            if (!problems.isEmpty()) {
                throw new AssertionError(
                        "the end-to-end tests left things behind:\n  " + String.join("\n  ", problems));
            }
        }
    }

    static List<String> leftNamespaces() throws Exception {
        String mine = TestLab.PREFIX_STEM + ProcessHandle.current().pid() % 100000 + "x";
        return Lab.existingNamespaces().stream()
                .filter(ns -> ns.startsWith(mine))
                .toList();
    }

    static List<String> liveChildren() {
        return ProcessHandle.current()
                .descendants()
                .filter(ProcessHandle::isAlive)
                .map(h -> h.pid() + " " + h.info().commandLine().orElse("?"))
                .toList();
    }

    static List<String> mcgateThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .map(Thread::getName)
                .filter(n -> n.startsWith("mcgate-"))
                .sorted()
                .toList();
    }
}
