package dev.mcgate.host;

import dev.mcgate.net.Ip4;
import dev.mcgate.net.IpAddress;
import dev.mcgate.net.IpFamily;
import dev.mcgate.packet.GroupRecord;
import dev.mcgate.packet.IgmpSender;
import dev.mcgate.packet.LeaveGroup;
import dev.mcgate.packet.V1MembershipReport;
import dev.mcgate.packet.V2MembershipReport;
import dev.mcgate.packet.V3MembershipReport;
import java.util.List;

/**
 * The host side's IGMP output: records become one IGMPv3 report (the daemon's sender splits it to the MTU, RFC 9776
 * §4.2.16), older reports IGMPv1/v2 reports, a leave a Leave Group.
 */
final class IgmpHostOutput implements HostOutput {

    private final IgmpSender sender;

    IgmpHostOutput(IgmpSender sender) {
        this.sender = sender;
    }

    @Override
    public IpFamily family() {
        return IpFamily.IPV4;
    }

    @Override
    public void report(List<HostRecord> records) {
        sender.send(new V3MembershipReport(groupRecords(records)));
    }

    @Override
    public void olderReport(IpAddress group, CompatibilityMode mode) {
        Ip4 g = (Ip4) group;
        sender.send(mode == CompatibilityMode.IGMPV1 ? new V1MembershipReport(g) : new V2MembershipReport(g));
    }

    @Override
    public void leave(IpAddress group) {
        sender.send(new LeaveGroup((Ip4) group));
    }

    static GroupRecord groupRecord(HostRecord r) {
        return new GroupRecord(r.type(), (Ip4) r.group(), r.sources());
    }

    static List<GroupRecord> groupRecords(List<HostRecord> records) {
        return records.stream().map(IgmpHostOutput::groupRecord).toList();
    }
}
