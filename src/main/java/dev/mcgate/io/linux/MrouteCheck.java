package dev.mcgate.io.linux;

import com.sun.jna.LastErrorException;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Finds out whether another multicast routing daemon (igmpproxy, smcroute, pimd, mrouted) holds the kernel's multicast
 * routing socket in the calling thread's network namespace. With one running, the kernel forwards multicast too and
 * every stream would be forwarded twice, so the daemon refuses to start.
 *
 * <p>Two ways to tell, the first where permitted: (1) try to become the holder, {@code setsockopt(MRT_INIT)} on a raw
 * IGMP socket, which fails with EADDRINUSE while another socket holds it (if we get it, MRT_DONE gives it straight
 * back); (2) without CAP_NET_RAW / CAP_NET_ADMIN, {@code /proc/sys/net/ipv4/conf/all/mc_forwarding}, which the kernel
 * sets while the socket is held. The holder is named from the raw IGMP sockets in {@code /proc/net/raw} and the
 * processes whose file descriptors point at them, its interfaces from {@code /proc/net/ip_mr_vif}.
 *
 * <p>A kernel built without multicast routing ({@code CONFIG_IP_MROUTE} unset: MRT_INIT fails with ENOPROTOOPT, and
 * {@code /proc/net/ip_mr_vif} does not exist) cannot forward multicast for anyone: then no other daemon can be a
 * router here, and mcgate, which forwards in user space, is the only way multicast crosses this box.
 */
public final class MrouteCheck {

    private static final int AF_INET = 2;
    private static final int SOCK_RAW = 3;
    private static final int IPPROTO_IGMP = 2;
    private static final int IPPROTO_IP = 0;
    /** linux/mroute.h: MRT_BASE = 200; MRT_INIT = MRT_BASE, MRT_DONE = MRT_BASE + 1. */
    private static final int MRT_INIT = 200;

    private static final int MRT_DONE = 201;
    private static final int EPERM = 1;
    private static final int EACCES = 13;
    private static final int ENOPROTOOPT = 92;
    private static final int EOPNOTSUPP = 95;
    private static final int EADDRINUSE = 98;

    /** The answer: whether the socket is held, and a sentence for the operator. */
    public record Result(State state, String message) {
        public boolean held() {
            return state == State.HELD;
        }
    }

    public enum State {
        /** Nobody holds it. */
        FREE,
        /** This kernel has no multicast routing at all, so nobody can hold it. */
        NO_MULTICAST_ROUTING,
        /** Another process holds it. */
        HELD,
        /** Neither way of telling worked; the message says why. */
        UNKNOWN
    }

    /** What trying to take the mroute socket (MRT_INIT) said. */
    enum Probe {
        FREE,
        HELD,
        NO_MROUTE,
        NOT_PERMITTED
    }

    static final String NO_MROUTE_MESSAGE = "this kernel has no multicast routing (CONFIG_IP_MROUTE is not set): no "
            + "other multicast router (igmpproxy, smcroute, pimd) can forward here; mcgate forwards in user space";

    private final Path proc;
    private final Supplier<Probe> probe;

    /** Reads the real /proc and tries MRT_INIT on a real socket. */
    public MrouteCheck() {
        this(Path.of("/proc"), MrouteCheck::probe);
    }

    /** Reads a /proc tree elsewhere and asks {@code probe} instead of the kernel (tests). */
    MrouteCheck(Path proc, Supplier<Probe> probe) {
        this.proc = proc;
        this.probe = probe;
    }

    /**
     * Whether the kernel of the calling thread's namespace has multicast routing: {@code /proc/net/ip_mr_vif} exists
     * exactly when it was built with {@code CONFIG_IP_MROUTE}. Tests that need another multicast router skip on this.
     */
    public static boolean kernelHasMulticastRouting() {
        return new MrouteCheck().hasMulticastRouting();
    }

    boolean hasMulticastRouting() {
        return Files.exists(netFile("ip_mr_vif"));
    }

    /** Checks the network namespace of the calling thread. */
    public Result check() {
        Probe answer = probe.get();
        if (answer == Probe.FREE) {
            return new Result(State.FREE, "no other multicast router holds the kernel's multicast routing socket");
        }
        if (answer == Probe.HELD) {
            return held();
        }
        // ENOPROTOOPT says so directly; without the right to try, the missing /proc file says the same.
        if (answer == Probe.NO_MROUTE || !hasMulticastRouting()) {
            return new Result(State.NO_MULTICAST_ROUTING, NO_MROUTE_MESSAGE);
        }
        String flag;
        try {
            flag = Sysctl.read(proc.resolve("sys/net/ipv4/conf/all/mc_forwarding"));
        } catch (IOException e) {
            return new Result(
                    State.UNKNOWN,
                    "cannot tell whether another multicast router is running: MRT_INIT is " + "not permitted and "
                            + e.getMessage() + " is unreadable");
        }
        return "0".equals(flag)
                ? new Result(
                        State.FREE,
                        "no other multicast router holds the kernel's multicast routing socket (mc_forwarding is 0)")
                : held();
    }

    /** Tries to take the mroute socket and gives it straight back. */
    private static Probe probe() {
        int fd;
        try {
            fd = LibC.INSTANCE.socket(AF_INET, SOCK_RAW, IPPROTO_IGMP);
        } catch (LastErrorException e) {
            return Probe.NOT_PERMITTED;
        }
        try {
            LibC.INSTANCE.setsockopt(fd, IPPROTO_IP, MRT_INIT, new int[] {1}, 4);
            try {
                LibC.INSTANCE.setsockopt(fd, IPPROTO_IP, MRT_DONE, new int[] {1}, 4);
            } catch (LastErrorException e) {
                // close() below releases it as well.
            }
            return Probe.FREE;
        } catch (LastErrorException e) {
            return switch (e.getErrorCode()) {
                case EADDRINUSE -> Probe.HELD;
                case ENOPROTOOPT, EOPNOTSUPP -> Probe.NO_MROUTE;
                case EPERM, EACCES -> Probe.NOT_PERMITTED;
                default -> Probe.NOT_PERMITTED;
            };
        } finally {
            try {
                LibC.INSTANCE.close(fd);
            } catch (LastErrorException e) {
                // nothing left to release
            }
        }
    }

    private Result held() {
        List<String> holders = holders();
        List<String> vifs = vifs();
        String who = holders.isEmpty()
                ? "another process"
                : holders.size() == 1 ? holders.get(0) : "one of " + String.join(", ", holders);
        String on = vifs.isEmpty() ? "" : ", forwarding on " + String.join(", ", vifs);
        return new Result(
                State.HELD,
                who + " holds the kernel's multicast routing socket (MRT_INIT)" + on
                        + ": it is a multicast router already, and with two on one box every stream would be forwarded "
                        + "twice. Stop it first (igmpproxy, smcroute, pimd and mrouted do this).");
    }

    /** "name (pid N)" for every process with a raw IGMP socket of this namespace open. */
    List<String> holders() {
        Set<Long> inodes;
        try {
            inodes = rawIgmpSocketInodes(Files.readString(netFile("raw")));
        } catch (IOException e) {
            return List.of();
        }
        if (inodes.isEmpty()) {
            return List.of();
        }
        Set<String> found = new LinkedHashSet<>();
        try (DirectoryStream<Path> pids = Files.newDirectoryStream(
                proc, p -> p.getFileName().toString().chars().allMatch(Character::isDigit))) {
            for (Path pid : pids) {
                if (holdsOneOf(pid, inodes)) {
                    found.add(command(pid) + " (pid " + pid.getFileName() + ")");
                }
            }
        } catch (IOException e) {
            // as many as we could see
        }
        return List.copyOf(found);
    }

    private static boolean holdsOneOf(Path pid, Set<Long> inodes) {
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(pid.resolve("fd"))) {
            for (Path fd : fds) {
                String target;
                try {
                    target = Files.readSymbolicLink(fd).toString();
                } catch (IOException | UnsupportedOperationException e) {
                    continue;
                }
                if (target.startsWith("socket:[") && target.endsWith("]")) {
                    try {
                        if (inodes.contains(Long.parseLong(target.substring(8, target.length() - 1)))) {
                            return true;
                        }
                    } catch (NumberFormatException e) {
                        // not a socket inode
                    }
                }
            }
        } catch (IOException | SecurityException e) {
            // gone, or not ours to look at
        }
        return false;
    }

    private static String command(Path pid) {
        try {
            return Files.readString(pid.resolve("comm")).trim();
        } catch (IOException e) {
            return "?";
        }
    }

    /** The interface names of the holder's VIFs, from /proc/net/ip_mr_vif. */
    List<String> vifs() {
        try {
            return vifNames(Files.readString(netFile("ip_mr_vif")));
        } catch (IOException e) {
            return List.of();
        }
    }

    /**
     * /proc/thread-self/net is the calling thread's namespace (a thread put into a namespace by {@link Netns} sees its
     * own); /proc/net would be the main thread's.
     */
    private Path netFile(String name) {
        Path threadSelf = proc.resolve("thread-self/net").resolve(name);
        return Files.exists(threadSelf) ? threadSelf : proc.resolve("net").resolve(name);
    }

    /** The inodes of raw sockets of protocol 2 (IGMP) in a /proc/net/raw listing. */
    static Set<Long> rawIgmpSocketInodes(String procNetRaw) {
        Set<Long> inodes = new LinkedHashSet<>();
        for (String line : procNetRaw.split("\n")) {
            String[] f = line.trim().split("\\s+");
            // sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode ...; local port = protocol.
            if (f.length < 10 || !f[0].endsWith(":") || !f[1].contains(":")) {
                continue;
            }
            try {
                int protocol = Integer.parseInt(f[1].substring(f[1].indexOf(':') + 1), 16);
                if (protocol == IPPROTO_IGMP) {
                    inodes.add(Long.parseLong(f[9]));
                }
            } catch (NumberFormatException e) {
                // a header or a line of another shape
            }
        }
        return inodes;
    }

    /** The interface names in a /proc/net/ip_mr_vif listing ("Interface BytesIn ..." then "N name ..."). */
    static List<String> vifNames(String ipMrVif) {
        List<String> names = new ArrayList<>();
        for (String line : ipMrVif.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 2 && f[0].chars().allMatch(Character::isDigit) && !f[0].isEmpty()) {
                names.add(f[1]);
            }
        }
        return names.stream().distinct().collect(Collectors.toList());
    }
}
