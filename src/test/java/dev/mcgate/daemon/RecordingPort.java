package dev.mcgate.daemon;

import dev.mcgate.io.InterfacePort;
import dev.mcgate.io.NetInterface;
import dev.mcgate.io.PortCounters;
import dev.mcgate.net.MacAddress;
import dev.mcgate.packet.LinkType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** A port for unit tests: an interface of the given shape that keeps every frame sent through it, in order. */
final class RecordingPort implements InterfacePort {

    final List<byte[]> sent = new ArrayList<>();
    private final NetInterface nif;
    private final LinkType linkType;

    RecordingPort(NetInterface nif, LinkType linkType) {
        this.nif = nif;
        this.linkType = linkType;
    }

    /** An Ethernet port named {@code name} with this MAC, no IPv4 address, MTU 1500, up. */
    static RecordingPort ethernet(String name, MacAddress mac) {
        return new RecordingPort(
                new NetInterface(
                        name,
                        3,
                        Optional.of(mac),
                        List.of(),
                        1500,
                        new NetInterface.Flags(true, true, true, false, false)),
                LinkType.ETHERNET);
    }

    @Override
    public NetInterface netInterface() {
        return nif;
    }

    @Override
    public LinkType linkType() {
        return linkType;
    }

    @Override
    public boolean send(byte[] frame, int length) {
        sent.add(Arrays.copyOf(frame, length));
        return true;
    }

    @Override
    public PortCounters counters() {
        return new PortCounters(0, sent.size(), 0, 0);
    }

    @Override
    public void close() {}
}
