package dev.mcgate.daemon;

import dev.mcgate.control.ControlCounter;
import dev.mcgate.counters.CounterRegistry;
import dev.mcgate.forward.ForwardingCounter;
import dev.mcgate.host.HostCounter;
import dev.mcgate.igmp.RouterCounter;
import dev.mcgate.io.PortCounter;
import dev.mcgate.proxy.ProxyCounter;
import dev.mcgate.relay.RelayCounter;
import dev.mcgate.relay.http.HttpRelayCounter;
import dev.mcgate.relay.kafka.KafkaCounter;
import dev.mcgate.tunnel.TunnelCounter;

/**
 * Every counter family the daemon keeps, in the order {@code counters} and the metrics show them. A new counter enum
 * goes here, or the registry refuses its values (and {@code CounterCatalogTest} names it).
 */
public final class CounterCatalog {

    private CounterCatalog() {}

    /** A registry that knows every family and has no source yet. */
    public static CounterRegistry newRegistry() {
        return new CounterRegistry(
                PortCounter.class,
                CaptureCounter.class,
                ForwardingCounter.class,
                IgmpIntakeCounter.class,
                IgmpInputCounter.class,
                IgmpAdmissionCounter.class,
                IgmpSenderCounter.class,
                MldSenderCounter.class,
                MldIntakeCounter.class,
                MldInputCounter.class,
                RouterCounter.class,
                HostCounter.class,
                ProxyCounter.class,
                TunnelCounter.class,
                RelayCounter.class,
                HttpRelayCounter.class,
                LoopCounter.class,
                EngineCounter.class,
                KafkaCounter.class,
                ControlCounter.class);
    }
}
