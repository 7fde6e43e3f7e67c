package dev.mcgate.config;

import dev.mcgate.net.Ip4;
import dev.mcgate.net.IpAddress;
import dev.mcgate.net.IpPrefix;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What a parser read, before defaults are applied and the whole is checked: every value is optional and remembers
 * its line. Both syntaxes produce this, so inheritance and validation exist once ({@link ConfigResolver}).
 */
final class ConfigDraft {

    /** Settings that an interface inherits from the defaults block; null means "not written here". */
    static final class Settings {
        Sourced<Integer> igmpVersion;
        Sourced<Integer> robustness;
        Sourced<Duration> queryInterval;
        Sourced<Duration> queryResponseInterval;
        Sourced<Duration> lastMemberQueryInterval;
        Sourced<Integer> lastMemberQueryCount;
        Sourced<Duration> startupQueryInterval;
        Sourced<Integer> startupQueryCount;
        Sourced<Boolean> fastLeave;
        Sourced<Boolean> repairUdpChecksum;
        Sourced<Integer> ttlThreshold;
        Sourced<CaptureBuffer> captureBuffer;
        Sourced<Integer> maxGroups;
        Sourced<Integer> maxSources;
        Sourced<Integer> maxHosts;
        Sourced<Integer> igmpRate;
        Sourced<Integer> maxAdoptedRobustness;
        Sourced<Duration> maxAdoptedQueryInterval;
        // Address families: on unless written off.
        Sourced<Boolean> ipv4;
        Sourced<Boolean> ipv6;
        // MLD: the version as a generation (MLDv1 = 2, MLDv2 = 3); each mld-* timer overrides the shared one for IPv6.
        Sourced<Integer> mldVersion;
        Sourced<Integer> mldRobustness;
        Sourced<Duration> mldQueryInterval;
        Sourced<Duration> mldQueryResponseInterval;
        Sourced<Duration> mldLastMemberQueryInterval;
        Sourced<Integer> mldLastMemberQueryCount;
        Sourced<Duration> mldStartupQueryInterval;
        Sourced<Integer> mldStartupQueryCount;
        // Lists: a block that writes a list replaces the inherited one (written more than once: the parts add up).
        Sourced<List<IpPrefix>> allowGroups;
        Sourced<List<IpPrefix>> denyGroups;
        Sourced<List<IpPrefix>> allowSources;
        Sourced<List<IpPrefix>> denySources;
        Sourced<List<IpPrefix>> boundaries;
    }

    /** One interface block (or igmpproxy phyint). */
    static final class Interface {
        final String name;
        final int line;
        Sourced<Role> role;
        final Settings settings = new Settings();
        final List<Sourced<IpPrefix>> altnets = new ArrayList<>();
        final List<Sourced<IpPrefix>> upstreamGroups = new ArrayList<>();

        Interface(String name, int line) {
            this.name = name;
            this.line = line;
        }
    }

    /** One tunnel block. */
    static final class Tunnel {
        final String name;
        final int line;
        Sourced<Role> role;
        Sourced<Ip4> localAddress;
        Integer localPort;
        Sourced<Ip4> peerAddress;
        Integer peerPort;
        Sourced<java.nio.file.Path> keyFile;
        Sourced<Duration> keepalive;
        Sourced<Duration> deadInterval;
        Sourced<Integer> mtu;
        Sourced<Integer> ttl;
        final List<Sourced<IpAddress[]>> remaps = new ArrayList<>();

        Tunnel(String name, int line) {
            this.name = name;
            this.line = line;
        }
    }

    /** The kafka block. */
    static final class Kafka {
        final int line;
        Sourced<String> bootstrapServers;
        Sourced<Path> propertiesFile;
        Sourced<Duration> linger;
        Sourced<Integer> batchSize;
        Sourced<Integer> handoffRecords;
        Sourced<Long> handoffBytes;
        Sourced<Duration> deliveryTimeout;
        Sourced<Duration> maxBlock;
        Sourced<String> topicPattern;
        Sourced<KafkaPublishMode> publishMode;
        final List<Sourced<KafkaPublishRule>> publish = new ArrayList<>();
        final List<Sourced<KafkaSubscription>> subscriptions = new ArrayList<>();

        Kafka(int line) {
            this.line = line;
        }
    }

    int lastLine = 1;
    Sourced<Path> controlSocket;
    Sourced<LogLevel> logLevel;
    Sourced<Role> unlistedRole;
    Sourced<PacketIoEngine> packetIo;
    Sourced<XdpMode> xdpMode;
    Sourced<String> user;
    Sourced<ListenAddress> metricsListen;
    final HttpRelayStatements.Draft http = new HttpRelayStatements.Draft();
    final Settings defaults = new Settings();
    final List<Interface> interfaces = new ArrayList<>();
    final List<Tunnel> tunnels = new ArrayList<>();
    /** Null without a kafka block. */
    Kafka kafka;

    /** Appends prefixes to a list setting, starting a new list (that overrides the inherited one) if none yet. */
    static Sourced<List<IpPrefix>> append(Sourced<List<IpPrefix>> list, List<IpPrefix> more, int line) {
        if (list == null) {
            return new Sourced<>(List.copyOf(more), line);
        }
        List<IpPrefix> joined = new ArrayList<>(list.value());
        joined.addAll(more);
        return new Sourced<>(List.copyOf(joined), list.line());
    }
}
