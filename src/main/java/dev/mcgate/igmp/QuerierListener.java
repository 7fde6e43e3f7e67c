package dev.mcgate.igmp;

import dev.mcgate.net.IpAddress;

/** Told, on the loop thread, when the querier of an interface changes (for logs and status). */
@FunctionalInterface
public interface QuerierListener {

    QuerierListener NONE = (interfaceName, querier, thisRouter) -> {};

    /**
     * @param querier the querier's address now
     * @param thisRouter whether this router is the querier
     */
    void querierChanged(String interfaceName, IpAddress querier, boolean thisRouter);
}
