package dev.mcgate.config;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Daemon-wide settings.
 *
 * @param controlSocket the Unix socket the control commands talk to
 * @param logLevel      the log threshold
 * @param unlistedRole  the role of an interface the file does not name: {@link Role#DISABLED} (default) or
 *                      {@link Role#DOWNSTREAM} (igmpproxy's {@code defaultdown})
 * @param packetIo      the packet I/O engine ({@code packet-io}); read at start only
 * @param user          the unprivileged user to run as when started as root ({@code user}); empty: stay as started
 * @param metricsListen where the Prometheus endpoint listens; empty (the default): no endpoint
 * @param httpRelay     the HTTP relay ({@code http-listen}); empty (the default): no relay
 * @param xdpMode       where the af-xdp engine's XDP program runs ({@code xdp-mode}); read at start only
 */
public record GlobalConfig(
        Path controlSocket,
        LogLevel logLevel,
        Role unlistedRole,
        PacketIoEngine packetIo,
        Optional<String> user,
        Optional<ListenAddress> metricsListen,
        Optional<HttpRelayConfig> httpRelay,
        XdpMode xdpMode) {

    public static final Path DEFAULT_CONTROL_SOCKET = Path.of("/run/mcgate/mcgate.sock");
    public static final GlobalConfig BUILT_IN = new GlobalConfig(DEFAULT_CONTROL_SOCKET, LogLevel.INFO, Role.DISABLED);

    /** With the default packet I/O engine (pcap), staying the user that starts mcgate, without metrics. */
    public GlobalConfig(Path controlSocket, LogLevel logLevel, Role unlistedRole) {
        this(controlSocket, logLevel, unlistedRole, PacketIoEngine.PCAP, Optional.empty(), Optional.empty());
    }

    /** Without the HTTP relay. */
    public GlobalConfig(
            Path controlSocket,
            LogLevel logLevel,
            Role unlistedRole,
            PacketIoEngine packetIo,
            Optional<String> user,
            Optional<ListenAddress> metricsListen) {
        this(controlSocket, logLevel, unlistedRole, packetIo, user, metricsListen, Optional.empty());
    }

    /** With the default XDP mode (auto). */
    public GlobalConfig(
            Path controlSocket,
            LogLevel logLevel,
            Role unlistedRole,
            PacketIoEngine packetIo,
            Optional<String> user,
            Optional<ListenAddress> metricsListen,
            Optional<HttpRelayConfig> httpRelay) {
        this(controlSocket, logLevel, unlistedRole, packetIo, user, metricsListen, httpRelay, XdpMode.AUTO);
    }

    public GlobalConfig {
        Objects.requireNonNull(controlSocket, "controlSocket");
        Objects.requireNonNull(logLevel, "logLevel");
        Objects.requireNonNull(unlistedRole, "unlistedRole");
        Objects.requireNonNull(packetIo, "packetIo");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(metricsListen, "metricsListen");
        Objects.requireNonNull(httpRelay, "httpRelay");
        Objects.requireNonNull(xdpMode, "xdpMode");
    }
}
