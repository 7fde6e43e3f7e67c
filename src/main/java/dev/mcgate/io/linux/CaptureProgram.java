package dev.mcgate.io.linux;

import dev.mcgate.io.CaptureFilter;
import dev.mcgate.packet.LinkType;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link CaptureFilter} as a classic BPF program for {@code SO_ATTACH_FILTER}, hand-assembled for one link type, so
 * the kernel drops what a port does not need before it is copied to user space.
 *
 * <p>Every program first rejects outgoing frames (the ancillary packet type): a kernel without
 * {@code PACKET_IGNORE_OUTGOING} would otherwise copy every frame we and others send out of the interface into our
 * socket. On Ethernet it also rejects frames whose 802.1Q tag the NIC stripped (the ancillary tag-present flag): a
 * packet socket shows them untagged, and forwarding a VLAN's traffic as if it were the parent's would be wrong; pcap
 * shows them tagged and the forwarder drops them, so the result is the same.
 *
 * <p>The filter logic is libpcap's for {@code ip proto 2} and {@code ip multicast}: EtherType 0x0800 (or IP version 4
 * on raw IP), protocol 2, or a destination in 224.0.0.0/4; with both families also {@code ip6 multicast}: EtherType
 * 0x86dd (or IP version 6), a destination in ff00::/8.
 */
final class CaptureProgram {

    static final int BPF_LD = 0x00;
    static final int BPF_ALU = 0x04;
    static final int BPF_JMP = 0x05;
    static final int BPF_RET = 0x06;
    static final int BPF_W = 0x00;
    static final int BPF_H = 0x08;
    static final int BPF_B = 0x10;
    static final int BPF_ABS = 0x20;
    static final int BPF_AND = 0x50;
    static final int BPF_JEQ = 0x10;
    static final int BPF_K = 0x00;
    /** SKF_AD_OFF: loads at negative offsets from here read socket-buffer metadata, not packet bytes. */
    static final int SKF_AD_OFF = -0x1000;

    static final int SKF_AD_PKTTYPE = 4;
    static final int SKF_AD_VLAN_TAG_PRESENT = 48;
    static final int PACKET_OUTGOING = 4;
    /** The capture length an accepting program returns: more than any frame, so nothing is cut. */
    static final int ACCEPT_LENGTH = 0x40000;

    /** One instruction, as struct sock_filter: code, jump-if-true, jump-if-false (relative), constant. */
    record Instruction(int code, int jt, int jf, int k) {}

    private final List<Instruction> code = new ArrayList<>();
    /** Jumps to patch: index of the instruction, and whether its true or false branch goes to accept (else reject). */
    private final List<int[]> toAccept = new ArrayList<>();

    private final List<int[]> toReject = new ArrayList<>();

    private CaptureProgram() {}

    /** The program for {@code filter} on a link of type {@code linkType}. */
    static List<Instruction> of(CaptureFilter filter, LinkType linkType) {
        CaptureProgram p = new CaptureProgram();
        if (filter == CaptureFilter.NOTHING) {
            p.code.add(new Instruction(BPF_RET | BPF_K, 0, 0, 0));
            return List.copyOf(p.code);
        }
        int ip;
        p.load(BPF_W, SKF_AD_OFF + SKF_AD_PKTTYPE);
        p.jumpEq(PACKET_OUTGOING, Target.REJECT, Target.NEXT);
        boolean ipv6 = filter == CaptureFilter.BOTH_FAMILIES;
        if (linkType == LinkType.ETHERNET) {
            p.load(BPF_W, SKF_AD_OFF + SKF_AD_VLAN_TAG_PRESENT);
            p.jumpEq(0, Target.NEXT, Target.REJECT);
            p.load(BPF_H, 12);
            ip = 14;
            if (ipv6) {
                p.ipv6MulticastOr(0x86dd, ip);
            }
            p.jumpEq(0x0800, Target.NEXT, Target.REJECT);
        } else {
            p.load(BPF_B, 0);
            p.and(0xf0);
            ip = 0;
            if (ipv6) {
                p.ipv6MulticastOr(0x60, ip);
            }
            p.jumpEq(0x40, Target.NEXT, Target.REJECT);
        }
        p.load(BPF_B, ip + 9);
        if (filter == CaptureFilter.IGMP) {
            p.jumpEq(2, Target.ACCEPT, Target.REJECT);
        } else {
            p.jumpEq(2, Target.ACCEPT, Target.NEXT);
            p.load(BPF_W, ip + 16);
            p.and(0xf0000000);
            p.jumpEq(0xe0000000, Target.ACCEPT, Target.REJECT);
        }
        return p.finish();
    }

    private enum Target {
        NEXT,
        ACCEPT,
        REJECT
    }

    /**
     * With the accumulator holding the EtherType (or the version nibble): if it is {@code value}, accept a destination
     * in ff00::/8 and reject the rest; otherwise go on after these three instructions with the accumulator unchanged.
     */
    private void ipv6MulticastOr(int value, int ip) {
        int at = code.size();
        code.add(new Instruction(BPF_JMP | BPF_JEQ | BPF_K, 0, 2, value));
        load(BPF_B, ip + 24);
        jumpEq(0xff, Target.ACCEPT, Target.REJECT);
        if (code.size() - at != 3) {
            throw new IllegalStateException("the skip over the IPv6 test is 2 instructions");
        }
    }

    private void load(int size, int offset) {
        code.add(new Instruction(BPF_LD | size | BPF_ABS, 0, 0, offset));
    }

    private void and(int mask) {
        code.add(new Instruction(BPF_ALU | BPF_AND | BPF_K, 0, 0, mask));
    }

    private void jumpEq(int value, Target ifTrue, Target ifFalse) {
        int at = code.size();
        code.add(new Instruction(BPF_JMP | BPF_JEQ | BPF_K, 0, 0, value));
        mark(at, 0, ifTrue);
        mark(at, 1, ifFalse);
    }

    private void mark(int at, int branch, Target target) {
        if (target == Target.ACCEPT) {
            toAccept.add(new int[] {at, branch});
        } else if (target == Target.REJECT) {
            toReject.add(new int[] {at, branch});
        }
    }

    /** Appends "accept" then "reject" and points every pending jump at them (jumps are forward offsets). */
    private List<Instruction> finish() {
        int accept = code.size();
        int reject = accept + 1;
        code.add(new Instruction(BPF_RET | BPF_K, 0, 0, ACCEPT_LENGTH));
        code.add(new Instruction(BPF_RET | BPF_K, 0, 0, 0));
        for (int[] j : toAccept) {
            patch(j[0], j[1], accept);
        }
        for (int[] j : toReject) {
            patch(j[0], j[1], reject);
        }
        return List.copyOf(code);
    }

    private void patch(int at, int branch, int target) {
        Instruction i = code.get(at);
        int offset = target - at - 1;
        if (offset > 255) {
            throw new IllegalStateException("BPF jump too far");
        }
        code.set(
                at,
                branch == 0
                        ? new Instruction(i.code(), offset, i.jf(), i.k())
                        : new Instruction(i.code(), i.jt(), offset, i.k()));
    }

    /** The program as an array of struct sock_filter (8 octets each, host byte order for code and k). */
    static byte[] encode(List<Instruction> program) {
        java.nio.ByteBuffer b =
                java.nio.ByteBuffer.allocate(program.size() * 8).order(java.nio.ByteOrder.nativeOrder());
        for (Instruction i : program) {
            b.putShort((short) i.code()).put((byte) i.jt()).put((byte) i.jf()).putInt(i.k());
        }
        return b.array();
    }
}
