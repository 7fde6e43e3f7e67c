package dev.mcgate.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mcgate.lab.Lab;
import java.util.List;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Runs after every other test class (junit-platform.properties orders classes by @Order) and checks that the suite
 * left nothing behind: no test lab namespace, no child process, no capture or namespace thread.
 */
@Tag("e2e")
@Order(Integer.MAX_VALUE)
class NoLeftoversE2ETest {

    @Test
    void noTestNamespaceIsLeft() throws Exception {
        String mine = TestLab.PREFIX_STEM + ProcessHandle.current().pid() % 100000 + "x";
        List<String> left = Lab.existingNamespaces().stream()
                .filter(ns -> ns.startsWith(mine))
                .toList();
        assertEquals(List.of(), left, "namespaces the suite created and did not remove");
    }

    @Test
    void noChildProcessIsLeft() {
        List<String> children = ProcessHandle.current()
                .descendants()
                .filter(ProcessHandle::isAlive)
                .map(h -> h.pid() + " " + h.info().commandLine().orElse("?"))
                .toList();
        assertEquals(List.of(), children, "processes the suite started and did not end");
    }

    @Test
    void noCaptureOrNamespaceThreadIsLeft() {
        List<String> threads = Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .map(Thread::getName)
                .filter(n -> n.startsWith("mcgate-"))
                .sorted()
                .toList();
        assertEquals(List.of(), threads, "mcgate threads still running after the suite");
    }
}
