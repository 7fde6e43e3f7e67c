package dev.mcgate.io.linux;

import com.sun.jna.LastErrorException;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Set;

/**
 * Turns a process started as root into one running as an unprivileged user that keeps only the capabilities it
 * needs: PR_SET_KEEPCAPS, setgroups (none), setresgid, setresuid, capset, then PR_SET_NO_NEW_PRIVS.
 *
 * <p>Call it on the thread that will start every other mcgate thread, before starting any: glibc applies setuid and
 * setgid to every thread of the process, but capabilities belong to each thread. The JVM's own threads (GC, JIT, the
 * launcher's first thread) lose every capability with the user change, since KEEPCAPS is set on the calling thread
 * only; this thread keeps exactly {@code keep}, and the threads it starts afterwards inherit that. The bounding set
 * of this thread is cut to {@code keep} as well, and no_new_privs is set on it (inherited by the threads it starts and
 * every process they run), so no later execve of a set-user-id or file-capability binary could regain more.
 */
public final class PrivilegeDrop {

    private static final int PR_CAPBSET_DROP = 24;
    private static final int PR_SET_KEEPCAPS = 8;
    private static final int PR_SET_NO_NEW_PRIVS = 38;
    private static final int LINUX_CAPABILITY_VERSION_3 = 0x20080522;
    private static final int EINVAL = 22;
    /** struct passwd on LP64: pw_name, pw_passwd (pointers), then uid_t pw_uid and gid_t pw_gid. */
    private static final int PW_UID_OFFSET = 16;

    private static final int PW_GID_OFFSET = 20;

    /** A user account: the ids to switch to. */
    public record Account(String name, int uid, int gid) {}

    private interface Passwd extends com.sun.jna.Library {
        Passwd INSTANCE = com.sun.jna.Native.load("c", Passwd.class);

        Pointer getpwnam(String name);

        Pointer getpwuid(int uid);
    }

    private PrivilegeDrop() {}

    /** The account named, through the system's user database (NSS), or empty if there is none. */
    public static java.util.Optional<Account> lookup(String name) {
        Pointer pw = Passwd.INSTANCE.getpwnam(name);
        if (pw == null) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(new Account(name, pw.getInt(PW_UID_OFFSET), pw.getInt(PW_GID_OFFSET)));
    }

    /**
     * The name of the user this thread runs as now (its effective uid, which {@link #dropTo} changes and the JVM's
     * {@code user.name} does not), or "uid N" for an id the user database does not know.
     */
    public static String effectiveUserName() {
        int uid;
        try {
            uid = ProcStatus.currentThread().uids().get(1);
        } catch (IOException | IndexOutOfBoundsException e) {
            return System.getProperty("user.name");
        }
        try {
            Pointer pw = Passwd.INSTANCE.getpwuid(uid);
            return pw == null ? "uid " + uid : pw.getPointer(0).getString(0);
        } catch (RuntimeException | LinkageError e) {
            // Asked for an error message: a missing libc binding must not hide the error being reported.
            return "uid " + uid;
        }
    }

    /**
     * Becomes {@code account} (its primary group, no supplementary groups) keeping only {@code keep}, sets
     * no_new_privs, and checks all of it in /proc/thread-self/status.
     *
     * @throws IOException naming the step that failed; the process must then not go on
     */
    public static ProcStatus dropTo(Account account, Set<Capability> keep) throws IOException {
        LibC c = LibC.INSTANCE;
        if (c.getuid() != 0) {
            throw new IOException("changing to user " + account.name() + " needs mcgate to be started as root");
        }
        long mask = 0;
        for (Capability cap : keep) {
            mask |= cap.bit();
        }
        step("cut the capability bounding set", () -> cutBoundingSet(keep));
        step("prctl(PR_SET_KEEPCAPS, 1)", () -> c.prctl(PR_SET_KEEPCAPS, nl(1), nl(0), nl(0), nl(0)));
        step("setgroups(0)", () -> c.setgroups(nl(0), null));
        step("setresgid(" + account.gid() + ")", () -> c.setresgid(account.gid(), account.gid(), account.gid()));
        step("setresuid(" + account.uid() + ")", () -> c.setresuid(account.uid(), account.uid(), account.uid()));
        int lo = (int) mask;
        int hi = (int) (mask >>> 32);
        // Effective, permitted and inheritable for capabilities 0-31, then 32-63 (struct __user_cap_data_struct[2]).
        int[] data = {lo, lo, 0, hi, hi, 0};
        step("capset", () -> c.capset(new int[] {LINUX_CAPABILITY_VERSION_3, 0}, data));
        step("prctl(PR_SET_KEEPCAPS, 0)", () -> c.prctl(PR_SET_KEEPCAPS, nl(0), nl(0), nl(0), nl(0)));
        step("prctl(PR_SET_NO_NEW_PRIVS, 1)", () -> c.prctl(PR_SET_NO_NEW_PRIVS, nl(1), nl(0), nl(0), nl(0)));

        ProcStatus now = ProcStatus.currentThread();
        java.util.Optional<String> wrong = mismatch(now, account, mask);
        if (wrong.isPresent()) {
            throw new IOException("after changing to user " + account.name() + " this thread has " + wrong.get()
                    + ", not what was asked");
        }
        return now;
    }

    /**
     * What in {@code now} differs from a complete drop to {@code account} keeping {@code mask}: every uid and every
     * gid (real, effective, saved, file system) the account's, no supplementary group left (root's would otherwise
     * stay: setgroups is the only call that clears them), exactly the kept capabilities, and no_new_privs.
     */
    static java.util.Optional<String> mismatch(ProcStatus now, Account account, long mask) {
        if (!now.uids().stream().allMatch(u -> u == account.uid())) {
            return java.util.Optional.of("uids " + now.uids());
        }
        if (!now.gids().stream().allMatch(g -> g == account.gid())) {
            return java.util.Optional.of("gids " + now.gids());
        }
        if (!now.groups().isEmpty()) {
            return java.util.Optional.of("supplementary groups " + now.groups());
        }
        if (now.capEff() != mask || now.capPrm() != mask) {
            return java.util.Optional.of(
                    "capabilities " + now.describeEffective() + " (permitted " + Long.toHexString(now.capPrm()) + ")");
        }
        if (!now.noNewPrivs()) {
            return java.util.Optional.of("no_new_privs unset");
        }
        return java.util.Optional.empty();
    }

    private static int cutBoundingSet(Set<Capability> keep) throws IOException {
        int last = Integer.parseInt(Sysctl.read(Path.of("/proc/sys/kernel/cap_last_cap")));
        for (int n = 0; n <= last; n++) {
            final int number = n;
            if (keep.stream().anyMatch(k -> k.number() == number)) {
                continue;
            }
            try {
                LibC.INSTANCE.prctl(PR_CAPBSET_DROP, nl(n), nl(0), nl(0), nl(0));
            } catch (LastErrorException e) {
                if (e.getErrorCode() != EINVAL) {
                    throw e;
                }
            }
        }
        return 0;
    }

    private interface Step {
        int run() throws IOException;
    }

    private static void step(String what, Step step) throws IOException {
        try {
            step.run();
        } catch (LastErrorException e) {
            throw new IOException(what + " failed (errno " + e.getErrorCode() + ")");
        }
    }

    private static NativeLong nl(long v) {
        return new NativeLong(v);
    }
}
