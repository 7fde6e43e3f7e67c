package dev.mcgate.e2e;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.parallel.ResourceAccessMode;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * Marks an end-to-end test class: tagged {@code e2e} (only the {@code e2e} profile runs it), run beside other such
 * classes (each builds labs of its own, named apart), and covered by the {@link LeftoversCheck} at the end of the run.
 *
 * <p>Most of an end-to-end class's time is spent waiting for protocol timers, so two at once take little longer than
 * one. A class that measures rates, losses or latencies that the other's load would distort is also {@code @Isolated}.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag("e2e")
@ExtendWith(LeftoversCheck.class)
@Execution(ExecutionMode.CONCURRENT)
// A shared lock that every such class only reads: it excludes nothing, but JUnit runs the methods of a class that
// holds a lock one after the other, as the classes' labs (built once per class) expect.
@ResourceLock(value = "e2e-class", mode = ResourceAccessMode.READ)
public @interface EndToEnd {}
