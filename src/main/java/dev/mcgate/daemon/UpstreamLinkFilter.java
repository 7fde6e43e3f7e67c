package dev.mcgate.daemon;

import dev.mcgate.host.LinkFilter;
import dev.mcgate.io.linux.MulticastFilter;
import dev.mcgate.net.MacAddress;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The upstream's {@link LinkFilter}: the MACs of the groups mcgate joined, held on the interface's
 * {@link MulticastFilter} so that a real NIC lets the streams in; the kernel drops them when the filter closes.
 */
final class UpstreamLinkFilter implements LinkFilter {

    private static final Logger LOG = LoggerFactory.getLogger(UpstreamLinkFilter.class);

    private final MulticastFilter filter;
    private final AtomicLong failures = new AtomicLong();

    UpstreamLinkFilter(MulticastFilter filter) {
        this.filter = filter;
    }

    @Override
    public void join(MacAddress mac) {
        try {
            filter.add(mac);
        } catch (IOException e) {
            failed("add", mac, e);
        }
    }

    @Override
    public void leave(MacAddress mac) {
        try {
            filter.remove(mac);
        } catch (IOException e) {
            failed("remove", mac, e);
        }
    }

    @Override
    public long failures() {
        return failures.get();
    }

    private void failed(String what, MacAddress mac, IOException e) {
        // Count every failure, log the first: a NIC that refuses one MAC usually refuses them all.
        if (failures.getAndIncrement() == 0) {
            LOG.warn("{}: cannot {} {} in the multicast filter: {}", filter.interfaceName(), what, mac, e.getMessage());
        }
    }
}
