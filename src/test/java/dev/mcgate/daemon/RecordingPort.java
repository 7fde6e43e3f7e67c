package dev.mcgate.daemon;

import dev.mcgate.io.InterfacePort;
import dev.mcgate.io.NetInterface;
import dev.mcgate.io.PortCounters;
import dev.mcgate.packet.LinkType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** A port for unit tests: an interface of the given shape that keeps every frame sent through it, in order. */
final class RecordingPort implements InterfacePort {

    final List<byte[]> sent = new ArrayList<>();
    private final NetInterface nif;
    private final LinkType linkType;

    RecordingPort(NetInterface nif, LinkType linkType) {
        this.nif = nif;
        this.linkType = linkType;
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
