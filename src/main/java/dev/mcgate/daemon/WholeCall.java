package dev.mcgate.daemon;

import dev.mcgate.time.Loop;
import dev.mcgate.time.LoopCallTimeoutException;
import dev.mcgate.time.LoopRejectedException;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A loop call whose task must be known to have run whole or not at all, as a reload's or a tunnel install's: a task
 * the loop never started is reported as {@link NotTaken} (nothing of it happened), and one still running when the
 * call's time is up is waited for, since its effects will appear whatever the caller does.
 */
final class WholeCall {

    /** How long a task that started is waited for after the call's own timeout. */
    static final Duration LATE = Duration.ofSeconds(30);

    /** The loop did not run the task and never will (stopping, inbox full, or cancelled at its timeout). */
    static final class NotTaken extends Exception {
        private static final long serialVersionUID = 1L;

        NotTaken(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private WholeCall() {}

    /**
     * @throws NotTaken  if the loop did not run it
     * @throws Exception what the task threw (it ran, perhaps in part)
     */
    static <T> T run(Loop loop, String name, Callable<T> task, Duration timeout) throws Exception {
        CompletableFuture<T> done = new CompletableFuture<>();
        try {
            // The first inbox: lifecycle decisions (reload, installs, stop) do not wait behind a flood of IGMP.
            return loop.callFirst(
                    name,
                    () -> {
                        try {
                            T result = task.call();
                            done.complete(result);
                            return result;
                        } catch (Exception | Error e) {
                            done.completeExceptionally(e);
                            throw e;
                        }
                    },
                    timeout);
        } catch (LoopRejectedException e) {
            throw new NotTaken(e.getMessage(), e);
        } catch (LoopCallTimeoutException e) {
            if (!e.stillRunning()) {
                throw new NotTaken(e.getMessage(), e);
            }
            try {
                return done.get(LATE.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException failed) {
                throw failed.getCause() instanceof Exception x ? x : new IllegalStateException(failed.getCause());
            } catch (TimeoutException stuck) {
                throw new IllegalStateException(
                        "loop task '" + name + "' still running " + LATE.toSeconds() + " s after its timeout", stuck);
            }
        }
    }
}
