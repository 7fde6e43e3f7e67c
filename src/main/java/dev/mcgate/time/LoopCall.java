package dev.mcgate.time;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;

/** A {@link Loop#call} request in the loop's inbox: a {@link LoopTask} whose caller waits for its answer. */
final class LoopCall<T> extends LoopTask {

    private final CompletableFuture<T> answer;

    private LoopCall(String name, CompletableFuture<T> answer, Callable<T> request) {
        super(name, () -> {
            try {
                answer.complete(request.call());
            } catch (Exception | Error e) {
                // The caller gets it; the loop's own failure count is for events nobody waits for.
                answer.completeExceptionally(e);
            }
        });
        this.answer = answer;
    }

    static <T> LoopCall<T> of(String name, Callable<T> request) {
        return new LoopCall<>(name, new CompletableFuture<>(), request);
    }

    CompletableFuture<T> answer() {
        return answer;
    }

    @Override
    void refuse(LoopRejectedException why) {
        answer.completeExceptionally(why);
    }
}
