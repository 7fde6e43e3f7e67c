package dev.mcgate.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A thread that dies of an uncaught exception or Error ends the process with status 70. */
class FatalThreadHandlerTest {

    @Test
    void aThreadThatDiesOfAnErrorExitsWithSeventy() throws InterruptedException {
        List<Integer> exits = new ArrayList<>();
        Thread t = new Thread(
                () -> {
                    throw new StackOverflowError("injected");
                },
                "mcgate-test");
        t.setUncaughtExceptionHandler(new FatalThreadHandler(exits::add));
        t.start();
        t.join();
        assertEquals(List.of(70), exits);
    }
}
