package dev.mcgate.io.linux;

import com.sun.jna.Memory;

/** A struct sockaddr_ll in native memory: the interface and EtherType a packet socket binds or sends to. */
final class SocketAddress {

    private SocketAddress() {}

    /**
     * sockaddr_ll { sll_family; sll_protocol (network order); sll_ifindex; sll_hatype; sll_pkttype; sll_halen;
     * sll_addr[8] }; the caller closes it.
     */
    static Memory link(int ifindex, int protocol) {
        Memory address = new Memory(ReceiveBatch.SOCKADDR_LL_SIZE);
        address.clear();
        address.setShort(0, (short) AfPacketPacketIo.AF_PACKET);
        address.setByte(2, (byte) (protocol >>> 8));
        address.setByte(3, (byte) protocol);
        address.setInt(4, ifindex);
        return address;
    }
}
