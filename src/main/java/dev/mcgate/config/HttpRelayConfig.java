package dev.mcgate.config;

import dev.mcgate.net.IpAddress;
import dev.mcgate.net.IpPrefix;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The HTTP relay's settings ({@code http-listen} and the {@code http-*} statements): where it listens, who may connect,
 * how long a group stays joined after its last client, and its limits.
 *
 * @param listen              where the server binds ({@code http-listen 8080} is 127.0.0.1:8080)
 * @param allow               client prefixes that may connect; what {@link #DEFAULT_ALLOW_LOOPBACK} or
 *                            {@link #DEFAULT_ALLOW_ANY} gives when {@code http-allow} is not written
 * @param allowWritten        whether {@code http-allow} was written (check-config shows a default as a comment)
 * @param linger              how long the last client's group stays joined ({@code http-linger})
 * @param maxClients          clients streaming at once, in total ({@code http-max-clients})
 * @param maxClientsPerGroup  clients of one group at once ({@code http-max-clients-per-group})
 * @param clientQueue         datagrams queued for one client before it counts as slow and is disconnected
 *                            ({@code http-client-queue})
 * @param clientQueueBytes    payload bytes queued for one client before it counts as slow and is disconnected
 *                            ({@code http-client-queue-bytes}); whichever bound is reached first applies
 * @param maxClientsPerAddress connections from one client address at once, streaming or still sending their request
 *                            ({@code http-max-clients-per-address})
 * @param joinRate            groups the relay may newly join upstream per second ({@code http-join-rate})
 * @param firstDatagramTimeout how long a stream waits for its group's first datagram before it is answered 504
 *                            ({@code http-first-datagram-timeout})
 * @param queueBudget         payload bytes queued for all clients together; over it, the client with the most queued
 *                            is disconnected ({@code http-queue-budget})
 */
public record HttpRelayConfig(
        ListenAddress listen,
        List<IpPrefix> allow,
        boolean allowWritten,
        Duration linger,
        int maxClients,
        int maxClientsPerGroup,
        int clientQueue,
        long clientQueueBytes,
        int maxClientsPerAddress,
        int joinRate,
        Duration firstDatagramTimeout,
        long queueBudget) {

    /** The name the relay has as a downstream interface: a colon keeps it apart from every real interface name. */
    public static final String INTERFACE_NAME = "relay:http";

    /**
     * 3 s: a player that zaps away and back, or a preview that reconnects, comes back within a second or two, and the
     * upstream keeps the group without a leave and a join (which on an ISP's IGMP querier costs a last-member query
     * round and a fresh join, i.e. seconds of black screen); a group nobody watches still leaves soon.
     */
    public static final Duration DEFAULT_LINGER = Duration.ofSeconds(3);

    public static final int DEFAULT_MAX_CLIENTS = 256;
    public static final int DEFAULT_MAX_CLIENTS_PER_GROUP = 64;
    /** About 1.3 MB of 1316-byte TS datagrams: half a second of a 20 Mbit/s channel. */
    public static final int DEFAULT_CLIENT_QUEUE = 1024;
    /**
     * 256 KB (0.1 s of a 20 Mbit/s channel, beyond the 256 KB socket send buffer): 256 clients that all stopped
     * reading on distinct groups hold 64 MB, which the service's 128 MB heap ({@code -Xmx128m}) holds beside the rest;
     * the relay's global budget ({@link #queueBudget}) bounds the sum anyway.
     */
    public static final long DEFAULT_CLIENT_QUEUE_BYTES = 256 * 1024;
    /** A household's TVs and phones behind one NAT address, not one client taking every slot. */
    public static final int DEFAULT_MAX_CLIENTS_PER_ADDRESS = 8;
    /** Ten channel changes a second: more than any remote control, far fewer than a zapping script. */
    public static final int DEFAULT_JOIN_RATE = 10;
    /** IPTV channels send every few milliseconds; a group silent for 5 s is not on the air. */
    public static final Duration DEFAULT_FIRST_DATAGRAM_TIMEOUT = Duration.ofSeconds(5);

    /**
     * 32 MB: a quarter of the service's 128 MB heap ({@code systemd/mcgate}, {@code lab.JvmFlags}), the rest being the
     * daemon's own state; 128 clients that all stopped reading at the default 256 KB each.
     */
    public static final long DEFAULT_QUEUE_BUDGET = 32L * 1024 * 1024;

    public static final List<IpPrefix> DEFAULT_ALLOW_LOOPBACK =
            List.of(IpPrefix.parse("127.0.0.0/8"), IpPrefix.parse("::1/128"));
    public static final List<IpPrefix> DEFAULT_ALLOW_ANY = List.of(IpPrefix.parse("0.0.0.0/0"), IpPrefix.parse("::/0"));

    public HttpRelayConfig {
        Objects.requireNonNull(listen, "listen");
        allow = List.copyOf(allow);
        Objects.requireNonNull(linger, "linger");
        Objects.requireNonNull(firstDatagramTimeout, "firstDatagramTimeout");
        if (queueBudget < 1) {
            throw new IllegalArgumentException("queueBudget " + queueBudget);
        }
    }

    /** These settings listening on {@code at} instead. */
    public HttpRelayConfig withListen(ListenAddress at) {
        return new HttpRelayConfig(
                at,
                allow,
                allowWritten,
                linger,
                maxClients,
                maxClientsPerGroup,
                clientQueue,
                clientQueueBytes,
                maxClientsPerAddress,
                joinRate,
                firstDatagramTimeout,
                queueBudget);
    }

    /** Whether a client at this address may connect. */
    public boolean allows(IpAddress client) {
        return allow.stream().anyMatch(p -> p.contains(client));
    }
}
