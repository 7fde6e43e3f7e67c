package dev.mcgate.forward;

import dev.mcgate.io.InterfacePort;
import dev.mcgate.io.NetInterface;
import dev.mcgate.io.PortCounters;
import dev.mcgate.packet.LinkType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A port with a transmit batch, as the AF_PACKET engine's: queued frames wait until a flush, which can be told to have
 * the kernel refuse some of them. Records what left, in order, and how many flushes there were.
 */
final class BatchingPort implements InterfacePort {

    private final NetInterface netInterface;
    final List<byte[]> queued = new ArrayList<>();
    final List<byte[]> sent = new ArrayList<>();
    int flushes;
    /** How many frames the next flush fails (counted, as the real queue counts them). */
    int failNextFlush;

    long sendErrors;

    BatchingPort(NetInterface netInterface) {
        this.netInterface = netInterface;
    }

    @Override
    public NetInterface netInterface() {
        return netInterface;
    }

    @Override
    public LinkType linkType() {
        return LinkType.ETHERNET;
    }

    @Override
    public boolean send(byte[] frame, int length) {
        queue(frame, length);
        return flush() == 0;
    }

    @Override
    public boolean queue(byte[] frame, int length) {
        queued.add(Arrays.copyOf(frame, length));
        return true;
    }

    @Override
    public int flush() {
        flushes++;
        int failed = Math.min(failNextFlush, queued.size());
        failNextFlush = 0;
        sendErrors += failed;
        sent.addAll(queued.subList(failed, queued.size()));
        queued.clear();
        return failed;
    }

    @Override
    public PortCounters counters() {
        return new PortCounters(0, sent.size(), sendErrors, 0);
    }

    @Override
    public void close() {}
}
