package dev.mcgate.lab;

import dev.mcgate.lab.LabTopology.Link;
import dev.mcgate.net.Ip6;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Builds, inspects and removes a namespace lab on this machine with iproute2, sysctl and ethtool.
 *
 * <p>Besides wiring, it sets what a multicast test really needs: TX checksum offload off on the hosts (a user-space
 * forwarder would otherwise pass on partial UDP checksums that receivers drop), routes for 224.0.0.0/4 on the hosts,
 * rp_filter off on the receivers (forwarded multicast comes from a source they may have no route back to) and, when
 * asked, an IGMP or MLD version forced per receiver. Every link is dual-stack: IPv6 addresses are usable at once (no
 * duplicate address detection), and the router namespace does not forward IPv6 itself.
 */
public final class Lab {

    private final LabTopology topology;

    public Lab(LabTopology topology) {
        this.topology = topology;
    }

    public LabTopology topology() {
        return topology;
    }

    /** True if any of the lab's namespaces exists. */
    public boolean exists() throws LabException {
        List<String> existing = existingNamespaces();
        return topology.namespaces().stream().anyMatch(existing::contains);
    }

    /**
     * Creates the lab. On any failure, what was created is removed again and the error says which step failed.
     *
     * @param igmpVersions receiver number (1 or 2) to the IGMP version its kernel is forced to use (1, 2 or 3)
     */
    public void up(Map<Integer, Integer> igmpVersions) throws LabException {
        up(igmpVersions, Map.of());
    }

    /**
     * Creates the lab. On any failure, what was created is removed again and the error says which step failed.
     *
     * @param igmpVersions receiver number (1 or 2) to the IGMP version its kernel is forced to use (1, 2 or 3)
     * @param mldVersions receiver number (1 or 2) to the MLD version its kernel is forced to use (1 or 2)
     */
    public void up(Map<Integer, Integer> igmpVersions, Map<Integer, Integer> mldVersions) throws LabException {
        requireTools();
        if (exists()) {
            throw new LabException("a lab with prefix '" + topology.prefix() + "' exists already: remove it with "
                    + "'mcgate lab down --prefix " + topology.prefix() + "' or choose another --prefix");
        }
        try {
            build(igmpVersions, mldVersions);
        } catch (LabException e) {
            try {
                down();
            } catch (LabException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
    }

    private void build(Map<Integer, Integer> igmpVersions, Map<Integer, Integer> mldVersions) throws LabException {
        for (String ns : topology.namespaces()) {
            addDualStackNamespace(ns);
        }
        String rtr = topology.router();
        for (Link link : LabTopology.LINKS) {
            String host = topology.namespace(link.hostRole());
            String length = "/" + link.subnet().length();
            String length6 = "/" + LabTopology.IPV6_PREFIX_LENGTH;
            dualStackVeth(
                    rtr,
                    link.routerIf(),
                    link.routerAddress() + length,
                    link.routerAddress6() + length6,
                    host,
                    LabTopology.HOST_IF,
                    link.hostAddress() + length,
                    link.hostAddress6() + length6);
            sysctl(host, "net.ipv4.conf." + LabTopology.HOST_IF + ".rp_filter", "0");
            sysctl(rtr, "net.ipv4.conf." + link.routerIf() + ".rp_filter", "0");
            // Hosts send multicast out of eth0 and reach other subnets through the router.
            Shell.run("ip", "-n", host, "route", "add", "224.0.0.0/4", "dev", LabTopology.HOST_IF);
            Shell.run(
                    "ip",
                    "-n",
                    host,
                    "route",
                    "add",
                    "default",
                    "via",
                    link.routerAddress().toString());
        }
        // veth offloads the UDP checksum (CHECKSUM_PARTIAL): bytes a user-space forwarder re-injects would carry a
        // partial checksum that every receiver drops. Real NICs send full checksums; make every lab host do so too
        // (receivers can be sources: a downstream source's traffic goes upstream and to the other downstreams).
        for (Link link : LabTopology.LINKS) {
            Shell.run(
                    "ip",
                    "netns",
                    "exec",
                    topology.namespace(link.hostRole()),
                    "ethtool",
                    "-K",
                    LabTopology.HOST_IF,
                    "tx",
                    "off");
        }
        for (Map.Entry<Integer, Integer> e : igmpVersions.entrySet()) {
            int version = e.getValue();
            if (version < 1 || version > 3) {
                throw new LabException("IGMP version " + version + " for receiver " + e.getKey() + ": use 1, 2 or 3");
            }
            String ns = topology.receiver(e.getKey());
            sysctl(ns, "net.ipv4.conf." + LabTopology.HOST_IF + ".force_igmp_version", Integer.toString(version));
        }
        for (Map.Entry<Integer, Integer> e : mldVersions.entrySet()) {
            if (e.getValue() < 1 || e.getValue() > 2) {
                throw new LabException("MLD version " + e.getValue() + " for receiver " + e.getKey() + ": use 1 or 2");
            }
            forceMldVersion(topology.receiver(e.getKey()), LabTopology.HOST_IF, e.getValue());
        }
        // Hand over a lab whose IPv6 is usable: MLD reports sent before an interface has its link-local address
        // would come from :: (RFC 9777 §5.2.13), which routers ignore.
        for (Link link : LabTopology.LINKS) {
            awaitLinkLocalAddress(rtr, link.routerIf());
            awaitLinkLocalAddress(topology.namespace(link.hostRole()), LabTopology.HOST_IF);
        }
        writeRouterConfig();
    }

    /**
     * Forces the kernel's MLD host side on one interface to a version: 1 (MLDv1, RFC 2710: reports are type 131 and
     * leaves a Done, type 132), 2 (MLDv2, RFC 9777: type 143 reports) or 0 (the kernel's default, MLDv2 falling back
     * to v1 while an MLDv1 querier is heard). Needs root in the namespace.
     */
    public static void forceMldVersion(String ns, String ifName, int version) throws LabException {
        if (version < 0 || version > 2) {
            throw new LabException("MLD version " + version + " on " + ifName + ": use 0 (the default), 1 or 2");
        }
        sysctl(ns, "net.ipv6.conf." + ifName + ".force_mld_version", Integer.toString(version));
    }

    /** Longest wait for the kernel to give an interface that has just come up its link-local address. */
    private static final long LINK_LOCAL_WAIT_NANOS = 3_000_000_000L;

    /**
     * The interface's IPv6 link-local address as its kernel reports it ({@code ip -6 addr}), waiting briefly for one
     * that is usable (not tentative): the kernel makes it when the link's carrier comes up.
     */
    public static Ip6 awaitLinkLocalAddress(String ns, String ifName) throws LabException {
        long deadline = System.nanoTime() + LINK_LOCAL_WAIT_NANOS;
        while (true) {
            String listing = Shell.run("ip", "-n", ns, "-6", "-o", "addr", "show", "dev", ifName, "scope", "link");
            Optional<Ip6> address = LinkLocalAddress.usable(listing);
            if (address.isPresent()) {
                return address.get();
            }
            if (System.nanoTime() - deadline >= 0) {
                throw new LabException(ifName + " in " + ns + " has no usable IPv6 link-local address after "
                        + LINK_LOCAL_WAIT_NANOS / 1_000_000 + " ms: " + (listing.isBlank() ? "none" : listing.strip()));
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LabException("interrupted while waiting for the link-local address of " + ifName);
            }
        }
    }

    private void writeRouterConfig() throws LabException {
        Path file = topology.routerConfigFile();
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, topology.routerConfig());
        } catch (IOException e) {
            throw new LabException("cannot write the lab's router configuration " + file + ": " + e.getMessage());
        }
    }

    /**
     * Removes the lab: ends every process still running in its namespaces, then deletes them (veths go with them);
     * the bench's tunnel path too, if a bench left it.
     */
    public void down() throws LabException {
        List<String> failures = new ArrayList<>(removeNamespaces(topology.allNamespaces()));
        try {
            Files.deleteIfExists(topology.routerConfigFile());
        } catch (IOException e) {
            failures.add(topology.routerConfigFile() + ": " + e.getMessage());
        }
        if (!failures.isEmpty()) {
            throw new LabException("could not remove " + String.join("; ", failures));
        }
    }

    /**
     * A namespace as the lab's are: loopback up, no reverse-path filtering, IPv6 on with addresses usable at once and
     * no IPv6 routing.
     */
    static void addDualStackNamespace(String ns) throws LabException {
        addIpv4Namespace(ns);
        for (String scope : List.of("all", "default")) {
            String conf = "net.ipv6.conf." + scope + ".";
            sysctl(ns, conf + "disable_ipv6", "0");
            // No duplicate address detection: a tentative address cannot be used, and MLD needs the link-local one
            // at once. Interfaces made later in this namespace inherit "default"; the kernel also honours "all".
            sysctl(ns, conf + "accept_dad", "0");
            // mcgate forwards IPv6 multicast in user space; the kernel forwarding too would double every datagram.
            sysctl(ns, conf + "forwarding", "0");
            // The lab's addresses are static: no router solicitations or advertisements in the captures.
            sysctl(ns, conf + "accept_ra", "0");
            sysctl(ns, conf + "router_solicitations", "0");
        }
    }

    /** A namespace for IPv4 only (the bench's tunnel path): loopback up, no reverse-path filtering, IPv6 off. */
    static void addNamespace(String ns) throws LabException {
        addIpv4Namespace(ns);
        // IPv6 would add MLD reports to every capture of a path that carries IPv4 only.
        sysctl(ns, "net.ipv6.conf.all.disable_ipv6", "1");
        sysctl(ns, "net.ipv6.conf.default.disable_ipv6", "1");
    }

    private static void addIpv4Namespace(String ns) throws LabException {
        Shell.run("ip", "netns", "add", ns);
        Shell.run("ip", "-n", ns, "link", "set", "lo", "up");
        // Nothing in the lab should drop multicast for lack of a route back to its source.
        sysctl(ns, "net.ipv4.conf.all.rp_filter", "0");
        sysctl(ns, "net.ipv4.conf.default.rp_filter", "0");
    }

    /**
     * A veth pair between two namespaces, addressed ({@code 10.0.0.1/24}) and up. Created inside {@code nsA} with the
     * peer moved at once: no name ever appears in the root namespace.
     */
    static void veth(String nsA, String ifA, String addressA, String nsB, String ifB, String addressB)
            throws LabException {
        Shell.run("ip", "-n", nsA, "link", "add", ifA, "type", "veth", "peer", "name", ifB, "netns", nsB);
        Shell.run("ip", "-n", nsA, "addr", "add", addressA, "dev", ifA);
        Shell.run("ip", "-n", nsB, "addr", "add", addressB, "dev", ifB);
        Shell.run("ip", "-n", nsA, "link", "set", ifA, "up");
        Shell.run("ip", "-n", nsB, "link", "set", ifB, "up");
    }

    /**
     * {@link #veth} with an IPv6 address ({@code fd00::1/64}) on each end as well, added without duplicate address
     * detection and before the link comes up, so both addresses and the link-local ones are usable at once.
     */
    static void dualStackVeth(
            String nsA,
            String ifA,
            String addressA,
            String address6A,
            String nsB,
            String ifB,
            String addressB,
            String address6B)
            throws LabException {
        Shell.run("ip", "-n", nsA, "link", "add", ifA, "type", "veth", "peer", "name", ifB, "netns", nsB);
        sysctl(nsA, "net.ipv6.conf." + ifA + ".accept_dad", "0");
        sysctl(nsB, "net.ipv6.conf." + ifB + ".accept_dad", "0");
        Shell.run("ip", "-n", nsA, "addr", "add", addressA, "dev", ifA);
        Shell.run("ip", "-n", nsB, "addr", "add", addressB, "dev", ifB);
        Shell.run("ip", "-n", nsA, "-6", "addr", "add", address6A, "dev", ifA, "nodad");
        Shell.run("ip", "-n", nsB, "-6", "addr", "add", address6B, "dev", ifB, "nodad");
        Shell.run("ip", "-n", nsA, "link", "set", ifA, "up");
        Shell.run("ip", "-n", nsB, "link", "set", ifB, "up");
    }

    /**
     * Ends every process still running in each of these namespaces that exists, then deletes it (its veths go with
     * it); returns one line per namespace that could not be deleted.
     */
    static List<String> removeNamespaces(List<String> namespaces) throws LabException {
        List<String> existing = existingNamespaces();
        List<String> failures = new ArrayList<>();
        for (String ns : namespaces) {
            if (!existing.contains(ns)) {
                continue;
            }
            killProcessesIn(ns);
            Shell.Result r = Shell.tryRun("ip", "netns", "del", ns);
            if (r.exitCode() != 0) {
                failures.add(ns + ": " + r.stderr().strip());
            }
        }
        return failures;
    }

    /** What exists of the lab: per namespace, its interfaces with addresses and the processes running in it. */
    public Map<String, String> status() throws LabException {
        List<String> existing = existingNamespaces();
        Map<String, String> result = new LinkedHashMap<>();
        for (String ns : topology.namespaces()) {
            if (!existing.contains(ns)) {
                result.put(ns, "absent");
                continue;
            }
            StringBuilder sb = new StringBuilder();
            sb.append(Shell.run("ip", "-n", ns, "-br", "addr", "show").strip());
            List<Long> pids = pidsIn(ns);
            sb.append("\nprocesses: ");
            if (pids.isEmpty()) {
                sb.append("none");
            }
            for (long pid : pids) {
                sb.append(pid)
                        .append(' ')
                        .append(ProcessHandle.of(pid)
                                .flatMap(h -> h.info().command())
                                .orElse("?"))
                        .append("; ");
            }
            result.put(ns, sb.toString().strip());
        }
        return result;
    }

    /** The processes whose network namespace is the given one. */
    public static List<Long> pidsIn(String ns) throws LabException {
        List<Long> pids = new ArrayList<>();
        for (String line : Shell.run("ip", "netns", "pids", ns).split("\n")) {
            if (!line.isBlank()) {
                pids.add(Long.parseLong(line.strip()));
            }
        }
        return pids;
    }

    private static void killProcessesIn(String ns) throws LabException {
        List<ProcessHandle> handles = new ArrayList<>();
        for (long pid : pidsIn(ns)) {
            ProcessHandle.of(pid).ifPresent(handles::add);
        }
        handles.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + 3_000_000_000L;
        for (ProcessHandle h : handles) {
            while (h.isAlive() && System.nanoTime() < deadline) {
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            if (h.isAlive()) {
                h.destroyForcibly();
            }
        }
    }

    /** Names of all network namespaces on the machine. */
    public static List<String> existingNamespaces() throws LabException {
        List<String> names = new ArrayList<>();
        for (String line : Shell.run("ip", "netns", "list").split("\n")) {
            if (!line.isBlank()) {
                // "name (id: 3)" or just "name"
                names.add(line.strip().split("\\s+")[0]);
            }
        }
        return names;
    }

    static void sysctl(String ns, String key, String value) throws LabException {
        Shell.run("ip", "netns", "exec", ns, "sysctl", "-q", "-w", key + "=" + value);
    }

    private static void requireTools() throws LabException {
        for (String[] probe : List.of(
                new String[] {"ip", "-V"}, new String[] {"ethtool", "--version"}, new String[] {"sysctl", "--version"
                })) {
            Shell.Result r;
            try {
                r = Shell.tryRun(probe);
            } catch (LabException e) {
                throw new LabException("'" + probe[0] + "' is missing: install it (Debian: apt-get install iproute2 "
                        + "ethtool procps)");
            }
            if (r.exitCode() != 0) {
                throw new LabException(
                        "'" + probe[0] + "' does not work here: " + r.stderr().strip());
            }
        }
    }
}
