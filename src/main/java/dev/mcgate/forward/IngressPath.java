package dev.mcgate.forward;

import dev.mcgate.io.InterfacePort;
import dev.mcgate.net.MacAddress;
import dev.mcgate.packet.DataFrameView;
import dev.mcgate.packet.Ipv6DataFrameView;
import dev.mcgate.packet.Ipv6Header;
import dev.mcgate.packet.LinkType;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The per-packet path for IPv4 and IPv6 frames arriving on one port, with the state only that port's capture thread touches: the
 * frame view, the egress layouts, the flow table. This is where a frame becomes zero or more sent copies.
 *
 * <p>Order of checks (DESIGN's data flow; IPv6 has the same with its own header work, see {@link #processIpv6}): IPv4 → untagged → not our own frame → header valid → multicast, not
 * 224.0.0.0/24, not IGMP → sane fragment → TTL > 1 → route (RPF, filters, scope, subscriptions; cached per flow) →
 * duplicate → UDP checksum sample / repair → TTL - 1 → per egress: TTL threshold, MTU, rewrite, send.
 *
 * <p>Fragments are forwarded one by one as they come, as any router does (no reassembly): every fragment carries the
 * source and group, so RPF and the table apply unchanged. Fragments whose offset and length reach past 65535, or a
 * non-last fragment whose length is not a multiple of 8, are dropped. UDP checksums are only sampled and repaired on
 * unfragmented datagrams (the checksum covers the whole datagram). We never fragment: a packet larger than the egress
 * MTU is dropped and counted for that egress.
 *
 * <p>Copies are queued on their egress ports ({@link InterfacePort#queue}), which are remembered in the calling
 * thread's {@link TouchedPorts}; the forwarder flushes them when the arrival port ends its capture batch.
 */
final class IngressPath {

    private static final int PROTOCOL_IGMP = 2;

    final InterfacePort port;
    private final LinkType linkType;
    private final InterfaceTally tally;
    private final LongSupplier nanoClock;
    private final DuplicateGuard duplicates;
    private final Consumer<String> operatorWarnings;
    private final DataFrameView view = new DataFrameView();
    private final Ipv6DataFrameView view6 = new Ipv6DataFrameView();
    private final EgressFrames frames = new EgressFrames();
    final FlowTable flows;

    IngressPath(
            InterfacePort port,
            InterfaceTally tally,
            LongSupplier nanoClock,
            DuplicateGuard duplicates,
            ForwarderOptions options,
            Consumer<String> operatorWarnings) {
        this.port = port;
        this.operatorWarnings = operatorWarnings;
        this.linkType = port.linkType();
        this.tally = tally;
        this.nanoClock = nanoClock;
        this.duplicates = duplicates;
        this.flows = new FlowTable(options.flowsPerInterface(), options.checksumSamplesPerFlow());
    }

    String name() {
        return tally.name;
    }

    void process(PortBinding binding, int slot, byte[] frame, int length, TouchedPorts touched) {
        long[] arrivals = tally.arrivals;
        Counts.add(arrivals, InterfaceTally.RECEIVED, 1);
        Counts.add(arrivals, InterfaceTally.RECEIVED_BYTES, length);
        DataFrameView v = view.wrap(frame, length, linkType);
        if (v.isIpv4()) {
            processIpv4(binding, slot, v, touched);
            return;
        }
        Ipv6DataFrameView v6 = view6.wrap(frame, length, linkType);
        if (v6.isIpv6()) {
            processIpv6(binding, slot, v6, touched);
            return;
        }
        tally.dropArrival(DropReason.NOT_IP);
    }

    private void processIpv4(PortBinding binding, int slot, DataFrameView v, TouchedPorts touched) {
        byte[] frame = v.frame();
        if (rejectsLink(binding, v.vlanId(), frame)) {
            return;
        }
        if (!v.isValid()) {
            tally.dropArrival(DropReason.BAD_IP_HEADER);
            return;
        }
        int group = v.destinationBits();
        if ((group >>> 28) != 0xE) {
            tally.dropArrival(DropReason.NOT_MULTICAST);
            return;
        }
        if ((group >>> 8) == 0xE00000) {
            tally.dropArrival(DropReason.LINK_LOCAL_GROUP);
            return;
        }
        if (v.protocol() == PROTOCOL_IGMP) {
            tally.dropArrival(DropReason.IGMP);
            return;
        }
        int ip = v.ipOffset();
        int headerLength = v.headerLength();
        int totalLength = v.totalLength();
        boolean fragment = v.isFragment();
        if (fragment && isMalformedFragment(frame, ip, headerLength, totalLength)) {
            tally.dropArrival(DropReason.BAD_FRAGMENT);
            return;
        }
        long now = nanoClock.getAsLong();
        int source = v.sourceBits();
        ForwardingTable table = binding.table;
        Flow flow = flows.lookup(source, group, now, table.interfaceCount());
        flow.seen(now, totalLength);
        int ttl = v.ttl();
        if (ttl <= 1) {
            drop(flow, DropReason.TTL_EXPIRED);
            return;
        }
        Route route = acceptedRoute(binding, slot, flow);
        if (route == null) {
            return;
        }
        if (route.egressCount > 0
                && duplicates.isDuplicate(DuplicateGuard.fingerprint(frame, ip, headerLength, totalLength), ttl, now)) {
            drop(flow, DropReason.DUPLICATE);
            return;
        }
        if (!hasEgress(binding, route, flow)) {
            return;
        }
        if (!fragment && UdpChecksum.isUdp(frame, ip)) {
            checkUdpChecksum(table, binding.tableIndexOfPort[slot], flow, frame, ip, headerLength, totalLength);
        }
        v.decrementTtl();
        frames.begin(frame, ip, totalLength, group, false);
        sendCopies(binding, table, route, flow, totalLength, ttl, touched);
    }

    /**
     * The IPv6 rules beside the IPv4 ones: no header checksum; scopes 0 to 2 never leave the link; MLD is control
     * traffic; the hop limit for the TTL. UDP checksums are neither sampled nor repaired: over IPv6 the checksum is
     * mandatory (RFC 8200 §8.1) and covers a pseudo-header of the addresses, which mcgate never rewrites, so a valid
     * checksum stays valid.
     *
     * <p>Fragments are forwarded one by one as their flow's, as IPv4's are: every fragment, first or not, carries the
     * full fixed header, so the (source, group) of a later fragment is known and RPF and the table apply unchanged
     * (only the ports, which mcgate does not route by, are in the first fragment alone).
     */
    private void processIpv6(PortBinding binding, int slot, Ipv6DataFrameView v, TouchedPorts touched) {
        byte[] frame = v.frame();
        if (rejectsLink(binding, v.vlanId(), frame)) {
            return;
        }
        if (!v.isValid()) {
            tally.dropArrival(DropReason.BAD_IP_HEADER);
            return;
        }
        if (!v.isMulticastDestination()) {
            tally.dropArrival(DropReason.NOT_MULTICAST);
            return;
        }
        long groupHigh = v.destinationHigh();
        long groupLow = v.destinationLow();
        // RFC 4291 §2.7: scope 0 is reserved, 1 interface-local (ff01::/16), 2 link-local (ff02::/16).
        if (((groupHigh >>> 48) & 0xf) <= 2) {
            tally.dropArrival(DropReason.LINK_LOCAL_GROUP);
            return;
        }
        int upper = v.upperLayerProtocol();
        if (upper == Ipv6DataFrameView.MALFORMED_CHAIN) {
            tally.dropArrival(DropReason.BAD_EXTENSION_HEADERS);
            return;
        }
        int ip = v.ipOffset();
        int totalLength = Ipv6Header.LENGTH + v.payloadLength();
        boolean fragment = v.isFragment();
        if (fragment && isMalformedFragment(v, ip, ip + totalLength)) {
            tally.dropArrival(DropReason.BAD_FRAGMENT);
            return;
        }
        if (upper == Ipv6Header.NEXT_HEADER_ICMPV6
                && v.fragmentOffset() == 0
                && isMld(frame, v.upperLayerOffset(), ip + totalLength)) {
            tally.dropArrival(DropReason.MLD);
            return;
        }
        // After the MLD check: MLD comes from link-local addresses and is counted as what it is.
        long sourceHigh = v.sourceHigh();
        if ((sourceHigh >>> 54) == (0xfe80L >>> 6) || (sourceHigh == 0 && v.sourceLow() == 0)) {
            tally.dropArrival(DropReason.LINK_LOCAL_SOURCE);
            return;
        }
        long now = nanoClock.getAsLong();
        ForwardingTable table = binding.table;
        Flow flow = flows.lookup(v.sourceHigh(), v.sourceLow(), groupHigh, groupLow, now, table.interfaceCount());
        flow.seen(now, totalLength);
        int hopLimit = v.hopLimit();
        if (hopLimit <= 1) {
            drop(flow, DropReason.TTL_EXPIRED);
            return;
        }
        Route route = acceptedRoute(binding, slot, flow);
        if (route == null) {
            return;
        }
        if (route.egressCount > 0
                && duplicates.isDuplicate(DuplicateGuard.fingerprint6(frame, ip, v.payloadLength()), hopLimit, now)) {
            drop(flow, DropReason.DUPLICATE);
            return;
        }
        if (!hasEgress(binding, route, flow)) {
            return;
        }
        v.decrementHopLimit();
        frames.begin(frame, ip, totalLength, (int) groupLow, true);
        sendCopies(binding, table, route, flow, totalLength, hopLimit, touched);
    }

    /** The checks before the IP header, for both families: VLAN tag, our own frame come back. Counts a drop. */
    private boolean rejectsLink(PortBinding binding, int vlanId, byte[] frame) {
        if (vlanId >= 0) {
            tally.dropArrival(DropReason.VLAN_TAGGED);
            return true;
        }
        if (linkType == LinkType.ETHERNET && binding.isOwnMac(MacAddress.read(frame, 6))) {
            tally.dropArrival(DropReason.OWN_FRAME);
            return true;
        }
        return false;
    }

    /** The flow's route, made again if the table changed; null (counted) if the flow's packets end here. */
    private Route acceptedRoute(PortBinding binding, int slot, Flow flow) {
        Route route = flow.route;
        ForwardingTable table = binding.table;
        if (route.madeFor != table) {
            table.route(binding.tableIndexOfPort[slot], flow, route);
        }
        if (route.drop != null && route.drop != DropReason.NOT_WANTED) {
            drop(flow, route.drop);
            return null;
        }
        return route;
    }

    /** Counts the egress interfaces the route skips; false (counted) if no interface wants the packet. */
    private boolean hasEgress(PortBinding binding, Route route, Flow flow) {
        for (int i = 0; i < route.skippedCount; i++) {
            flow.drop(route.skippedReason[i]);
            binding.tallyOfIndex[route.skipped[i]].skipEgress(route.skippedReason[i]);
        }
        if (route.egressCount == 0) {
            // Unwanted traffic is most of what an upstream carries: it skips the duplicate guard.
            drop(flow, DropReason.NOT_WANTED);
            return false;
        }
        return true;
    }

    /** Sends the packet {@link EgressFrames#begin begun} to every egress of the route that passes the per-copy checks. */
    private void sendCopies(
            PortBinding binding,
            ForwardingTable table,
            Route route,
            Flow flow,
            int totalLength,
            int arrivalTtl,
            TouchedPorts touched) {
        int sent = 0;
        for (int i = 0; i < route.egressCount; i++) {
            int egress = route.egress[i];
            ForwardingInterface out = table.interfaceAt(egress);
            InterfaceTally outTally = binding.tallyOfIndex[egress];
            DropReason skip = null;
            InterfacePort outPort = binding.portOfIndex[egress];
            // Linux ipmr's rule: a copy leaves only if the TTL it arrived with is above the egress threshold.
            if (arrivalTtl <= out.ttlThreshold()) {
                skip = DropReason.BELOW_TTL_THRESHOLD;
            } else if (totalLength > out.mtu()) {
                skip = DropReason.MTU_EXCEEDED;
                // Several capture threads may get here at once; one of them tells.
                if (!outTally.mtuWarned.get() && outTally.mtuWarned.compareAndSet(false, true)) {
                    warnMtu(out, flow, totalLength);
                }
            } else if (outPort == null) {
                skip = DropReason.EGRESS_NOT_OPEN;
            } else {
                boolean ok;
                if (binding.ethernetOfIndex[egress]) {
                    int length = frames.ethernet(binding.macOfIndex[egress]);
                    ok = outPort.queue(frames.ethernetFrame(), length);
                } else {
                    int length = frames.raw();
                    ok = outPort.queue(frames.rawFrame(), length);
                }
                if (ok) {
                    touched.add(outPort, outTally);
                    sent++;
                    outTally.sent.increment();
                    outTally.sentBytes.add(totalLength);
                } else {
                    skip = DropReason.SEND_FAILED;
                }
            }
            if (skip != null) {
                flow.drop(skip);
                outTally.skipEgress(skip);
            }
        }
        if (sent > 0) {
            Counts.add(flow.counts, Flow.FORWARDED, 1);
            Counts.add(flow.counts, Flow.COPIES, sent);
            Counts.add(tally.arrivals, InterfaceTally.FORWARDED, 1);
        }
    }

    /** Samples the UDP checksum of a new flow's first datagrams; repairs the flow's datagrams if asked to. */
    private void checkUdpChecksum(
            ForwardingTable table,
            int arrivalIndex,
            Flow flow,
            byte[] frame,
            int ip,
            int headerLength,
            int totalLength) {
        if (flow.checksumSamplesLeft > 0) {
            flow.checksumSamplesLeft--;
            if (UdpChecksum.check(frame, ip, headerLength, totalLength) == UdpChecksum.Verdict.WRONG) {
                Counts.add(flow.counts, Flow.UDP_CHECKSUM_WRONG, 1);
                Counts.add(tally.arrivals, InterfaceTally.UDP_CHECKSUM_WRONG, 1);
                boolean first = !flow.checksumWrong;
                flow.checksumWrong = true;
                if (first && !tally.checksumWarned) {
                    tally.checksumWarned = true;
                    warnChecksum(table, arrivalIndex, flow);
                }
            }
        }
        if (flow.checksumWrong
                && arrivalIndex >= 0
                && table.interfaceAt(arrivalIndex).repairUdpChecksum()
                && UdpChecksum.isRepairable(frame, ip, headerLength, totalLength)) {
            UdpChecksum.fill(frame, ip, headerLength, totalLength);
            Counts.add(flow.counts, Flow.UDP_CHECKSUM_REPAIRED, 1);
            Counts.add(tally.arrivals, InterfaceTally.UDP_CHECKSUM_REPAIRED, 1);
        }
    }

    private void warnChecksum(ForwardingTable table, int arrivalIndex, Flow flow) {
        boolean repairing = arrivalIndex >= 0 && table.interfaceAt(arrivalIndex).repairUdpChecksum();
        String name = tally.name;
        operatorWarnings.accept(name + ": UDP datagrams from " + flow.sourceAddress() + " to " + flow.groupAddress()
                + " arrive with a wrong UDP checksum, as a sender with TX checksum offload on a veth puts them on the"
                + " wire (a partial checksum); receivers drop such datagrams. "
                + (repairing
                        ? "Repairing them, as configured for " + name + "."
                        : "Fix it on the sender: 'ethtool -K <its interface> tx off', or have mcgate repair UDP"
                                + " checksums arriving on " + name + " ('repair-udp-checksum yes' in its interface"
                                + " block).")
                + " (Said once per interface; the counters keep counting.)");
    }

    /** A tunnel's MTU is below its LANs': a stream that does not fit would otherwise vanish without a word. */
    private void warnMtu(ForwardingInterface out, Flow flow, int totalLength) {
        operatorWarnings.accept(out.name() + ": " + totalLength + "-byte datagrams from " + flow.sourceAddress()
                + " to " + flow.groupAddress() + " do not fit its MTU of " + out.mtu() + " and are not sent there"
                + " (mcgate does not fragment). Have the source send smaller datagrams or raise the MTU of "
                + out.name() + " (a tunnel: of the network under it). (Said once per interface; the mtu-exceeded"
                + " counters keep counting.)");
    }

    private void drop(Flow flow, DropReason reason) {
        flow.drop(reason);
        tally.dropArrival(reason);
    }

    /**
     * RFC 8200 §4.5: a fragment whose reassembled payload would pass 65535 octets, a non-last one whose data is not a
     * multiple of 8 octets, or one with no data.
     */
    private static boolean isMalformedFragment(Ipv6DataFrameView v, int ip, int end) {
        int data = v.fragmentDataOffset();
        int dataLength = end - data;
        int unfragmentable = data - Ipv6Header.LENGTH - ip;
        return dataLength <= 0
                || unfragmentable + v.fragmentOffset() + dataLength > 65535
                || (v.moreFragments() && (dataLength & 7) != 0);
    }

    /** ICMPv6 130 (query), 131 (v1 report), 132 (done), 143 (v2 report): RFC 2710 §3, RFC 9777 §5. */
    private static boolean isMld(byte[] b, int icmp, int end) {
        if (icmp >= end) {
            return false;
        }
        int type = b[icmp] & 0xff;
        return type == 130 || type == 131 || type == 132 || type == 143;
    }

    /** Reaches past the largest IPv4 datagram, or a non-last fragment that is not a multiple of 8 octets (RFC 791). */
    private static boolean isMalformedFragment(byte[] b, int ip, int headerLength, int totalLength) {
        int field = ((b[ip + 6] & 0xff) << 8) | (b[ip + 7] & 0xff);
        boolean moreFragments = (field & 0x2000) != 0;
        int offset = (field & 0x1fff) * 8;
        int payload = totalLength - headerLength;
        return payload == 0 || offset + payload > 65535 || (moreFragments && (payload & 7) != 0);
    }
}
