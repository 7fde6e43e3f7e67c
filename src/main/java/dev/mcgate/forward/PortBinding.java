package dev.mcgate.forward;

import dev.mcgate.io.InterfacePort;
import dev.mcgate.packet.LinkType;
import java.util.List;
import java.util.Map;

/**
 * What a capture thread reads once per packet: the table in use together with the open ports, matched up by table
 * index. Immutable; the forwarder publishes a new one whenever the table or the set of ports changes.
 */
final class PortBinding {

    final ForwardingTable table;
    /** The attached ports, with their arrival state and table index (-1: not in the table). */
    final InterfacePort[] ports;

    final IngressPath[] paths;
    final int[] tableIndexOfPort;
    /** By table index: the open port (or null), its MAC and link type, and the interface's counters. */
    final InterfacePort[] portOfIndex;

    final long[] macOfIndex;
    final boolean[] ethernetOfIndex;
    final InterfaceTally[] tallyOfIndex;
    /** Every MAC of ours: a frame from one of them is our own injection come back. */
    private final long[] ownMacs;

    PortBinding(ForwardingTable table, List<IngressPath> attached, Map<String, InterfaceTally> tallies) {
        this.table = table;
        int n = attached.size();
        ports = new InterfacePort[n];
        paths = new IngressPath[n];
        tableIndexOfPort = new int[n];
        int count = table.interfaceCount();
        portOfIndex = new InterfacePort[count];
        macOfIndex = new long[count];
        ethernetOfIndex = new boolean[count];
        tallyOfIndex = new InterfaceTally[count];
        for (int i = 0; i < count; i++) {
            ForwardingInterface fi = table.interfaceAt(i);
            tallyOfIndex[i] = tallies.get(fi.name());
            macOfIndex[i] = Math.max(fi.macBits(), 0);
        }
        long[] macs = new long[n + count];
        int macCount = 0;
        for (int i = 0; i < n; i++) {
            IngressPath path = attached.get(i);
            paths[i] = path;
            ports[i] = path.port;
            int index = table.indexOf(path.port.netInterface().name());
            tableIndexOfPort[i] = index;
            long mac = path.port.netInterface().mac().map(m -> m.bits()).orElse(-1L);
            if (mac >= 0) {
                macs[macCount++] = mac;
            }
            if (index >= 0) {
                portOfIndex[index] = path.port;
                ethernetOfIndex[index] = path.port.linkType() == LinkType.ETHERNET;
                if (mac >= 0) {
                    macOfIndex[index] = mac;
                }
            }
        }
        for (int i = 0; i < count; i++) {
            if (table.interfaceAt(i).macBits() >= 0) {
                macs[macCount++] = table.interfaceAt(i).macBits();
            }
        }
        ownMacs = java.util.Arrays.copyOf(macs, macCount);
    }

    /** The slot of an attached port (identity: a handful of ports, so a scan beats hashing), or -1. */
    int slotOf(InterfacePort port) {
        for (int i = 0; i < ports.length; i++) {
            if (ports[i] == port) {
                return i;
            }
        }
        return -1;
    }

    boolean isOwnMac(long mac) {
        for (long own : ownMacs) {
            if (own == mac) {
                return true;
            }
        }
        return false;
    }
}
