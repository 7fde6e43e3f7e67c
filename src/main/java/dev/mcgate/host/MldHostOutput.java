package dev.mcgate.host;

import dev.mcgate.net.Ip6;
import dev.mcgate.net.IpAddress;
import dev.mcgate.net.IpFamily;
import dev.mcgate.packet.MldDone;
import dev.mcgate.packet.MldSender;
import dev.mcgate.packet.MldSplitter;
import dev.mcgate.packet.MldV1Report;
import dev.mcgate.packet.MldV2Report;
import dev.mcgate.packet.MulticastAddressRecord;
import java.util.List;

/**
 * The host side's MLD output: records become MLDv2 reports to ff02::16 that each fit the MTU, older reports MLDv1
 * reports (MLD has no counterpart of IGMPv1: MLDv1 is IGMPv2's generation), a leave an MLDv1 Done to ff02::2.
 */
final class MldHostOutput implements HostOutput {

    private final MldSender sender;
    private final int mtu;

    MldHostOutput(MldSender sender, int mtu) {
        if (mtu < MldSplitter.MIN_MTU) {
            throw new IllegalArgumentException("IPv6 MTU " + mtu + " is below " + MldSplitter.MIN_MTU);
        }
        this.sender = sender;
        this.mtu = mtu;
    }

    @Override
    public IpFamily family() {
        return IpFamily.IPV6;
    }

    @Override
    public void report(List<HostRecord> records) {
        List<MulticastAddressRecord> wire = records.stream()
                .map(r -> new MulticastAddressRecord(
                        r.type(), (Ip6) r.group(), r.sources().ip6List()))
                .toList();
        for (MldV2Report part : MldSplitter.split(new MldV2Report(wire), mtu)) {
            sender.send(part);
        }
    }

    @Override
    public void olderReport(IpAddress group, CompatibilityMode mode) {
        sender.send(new MldV1Report((Ip6) group));
    }

    @Override
    public void leave(IpAddress group) {
        sender.send(new MldDone((Ip6) group));
    }
}
