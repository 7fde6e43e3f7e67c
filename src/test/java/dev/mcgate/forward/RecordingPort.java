package dev.mcgate.forward;

import dev.mcgate.io.InterfacePort;
import dev.mcgate.io.NetInterface;
import dev.mcgate.io.PortCounters;
import dev.mcgate.packet.LinkType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A port that records what is sent out of it (copies, as a real port's kernel would take them), or, with recording
 * off, only counts (for the allocation test). It can be made to refuse sends.
 */
final class RecordingPort implements InterfacePort {

    private final NetInterface netInterface;
    private final LinkType linkType;
    private final boolean recording;
    final List<byte[]> sent = new ArrayList<>();
    long sendCount;
    boolean refuse;

    RecordingPort(NetInterface netInterface, boolean recording) {
        this.netInterface = netInterface;
        this.linkType = netInterface.mac().isPresent() ? LinkType.ETHERNET : LinkType.RAW_IP;
        this.recording = recording;
    }

    RecordingPort(NetInterface netInterface) {
        this(netInterface, true);
    }

    @Override
    public NetInterface netInterface() {
        return netInterface;
    }

    @Override
    public LinkType linkType() {
        return linkType;
    }

    @Override
    public boolean send(byte[] frame, int length) {
        if (refuse) {
            return false;
        }
        sendCount++;
        if (recording) {
            sent.add(Arrays.copyOf(frame, length));
        }
        return true;
    }

    byte[] only() {
        if (sent.size() != 1) {
            throw new AssertionError(netInterface.name() + " sent " + sent.size() + " frames, expected 1");
        }
        return sent.get(0);
    }

    @Override
    public PortCounters counters() {
        return new PortCounters(0, sendCount, 0, 0);
    }

    @Override
    public void close() {}
}
