package dev.mcgate.io.linux;

import com.sun.jna.LastErrorException;
import java.io.IOException;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * Runs code inside a named network namespace (as created by {@code ip netns add}) on a thread of its own.
 *
 * <p>setns(2) moves only the calling thread, so a fresh thread enters the namespace, runs the task and ends: sockets
 * and pcap handles opened by the task belong to that namespace for their whole life, whichever thread uses them later,
 * and threads the task starts are born in it. The caller's thread never changes namespace.
 */
public final class Netns {

    private static final String NETNS_DIR = "/run/netns/";

    private Netns() {}

    public static <T> T call(String namespace, Callable<T> task) throws IOException {
        if (namespace.isEmpty() || namespace.contains("/")) {
            throw new IOException("bad namespace name '" + namespace + "'");
        }
        FutureTask<T> future = new FutureTask<>(() -> {
            enter(namespace);
            return task.call();
        });
        Thread thread = new Thread(future, "mcgate-netns-" + namespace);
        thread.setDaemon(true);
        thread.start();
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running in namespace " + namespace, e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            throw new IOException(namespace + ": " + cause, cause);
        }
    }

    private static void enter(String namespace) throws IOException {
        int fd;
        try {
            fd = LibC.INSTANCE.open(NETNS_DIR + namespace, LibC.O_RDONLY | LibC.O_CLOEXEC);
        } catch (LastErrorException e) {
            throw new IOException("no network namespace '" + namespace + "' (" + NETNS_DIR + namespace + ": errno "
                    + e.getErrorCode() + ")");
        }
        try {
            LibC.INSTANCE.setns(fd, LibC.CLONE_NEWNET);
        } catch (LastErrorException e) {
            throw new IOException("cannot enter network namespace '" + namespace + "' (errno " + e.getErrorCode()
                    + "; root is required)");
        } finally {
            LibC.INSTANCE.close(fd);
        }
    }
}
