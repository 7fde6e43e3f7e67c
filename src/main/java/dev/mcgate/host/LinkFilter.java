package dev.mcgate.host;

import dev.mcgate.net.MacAddress;

/**
 * The link-layer multicast filter of one upstream interface (as {@code ip maddr add} sets it): a NIC drops frames to
 * multicast MACs it was not told about. Called once when the first group of a MAC is joined and once when the last is
 * left ({@link GroupMacFilter} counts); implementations count and log their failures rather than throw.
 */
public interface LinkFilter {

    /** Does nothing: for interfaces that receive every multicast frame anyway (ALLMULTI, promiscuous, tests). */
    LinkFilter NONE = new LinkFilter() {
        @Override
        public void join(MacAddress mac) {}

        @Override
        public void leave(MacAddress mac) {}
    };

    void join(MacAddress mac);

    void leave(MacAddress mac);

    /** Joins and leaves the interface refused, counted by the implementation (0 where nothing can fail). */
    default long failures() {
        return 0;
    }
}
