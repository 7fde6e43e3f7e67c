package dev.mcgate.io.linux;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The XDP program of the AF_XDP engine, hand-assembled eBPF: UDP frames to a multicast group that mcgate may forward
 * (IPv4 outside 224.0.0.0/24; IPv6 of scope 3 or wider, UDP right after the fixed header) go to the AF_XDP socket of
 * the receive queue they arrived on (an XSKMAP entry), so they reach mcgate without a socket buffer, the kernel's IP
 * stack or a packet socket's copy; everything else, and every frame on a queue without a socket, goes on to the
 * kernel (XDP_PASS), where IGMP, MLD (ICMPv6, behind a hop-by-hop header) and the rest reach mcgate as with af-packet.
 *
 * <p>The program reads only the octets it has proved are inside the frame, as the verifier demands: Ethernet (14)
 * and a minimal IPv4 header (20), or the IPv6 header (40). A frame longer than a UMEM frame holds ({@link #MAX_FRAME}, a jumbo frame) passes
 * too: the socket would drop it. A frame whose 802.1Q tag is still in its octets does not match (its EtherType is
 * 0x8100) and passes; a tag the driver took out into metadata is not visible here, which is why
 * {@link XdpAttachment} is not used on an interface with VLAN devices on it.
 */
final class XdpProgram {

    static final int INSTRUCTION_SIZE = 8;
    static final int XDP_PASS = 2;
    static final int BPF_FUNC_REDIRECT_MAP = 51;
    /** struct xdp_md: data, data_end, data_meta, ingress_ifindex, rx_queue_index (u32 each). */
    static final int XDP_MD_DATA = 0;

    static final int XDP_MD_DATA_END = 4;
    static final int XDP_MD_RX_QUEUE_INDEX = 16;
    /** ld_imm64's source register when its constant is a map's file descriptor. */
    static final int BPF_PSEUDO_MAP_FD = 1;

    // Opcodes: class | size/operation | source (see the kernel's Documentation/bpf/standardization).
    static final int LDX_W = 0x61;
    static final int LDX_H = 0x69;
    static final int LDX_B = 0x71;
    static final int LD_IMM64 = 0x18;
    static final int ALU64_MOV_K = 0xb7;
    static final int ALU64_MOV_X = 0xbf;
    static final int ALU64_ADD_K = 0x07;
    static final int ALU64_AND_K = 0x57;
    static final int JMP_JEQ_K = 0x15;
    static final int JMP_JNE_K = 0x55;
    static final int JMP_JGT_X = 0x2d;
    static final int JMP_JLE_X = 0xbd;
    static final int JMP_JLE_K = 0xb5;
    static final int JMP_JA = 0x05;
    /** The longest frame a UMEM frame holds: a 2048-octet chunk less the kernel's 256 octets of XDP headroom. */
    static final int MAX_FRAME = XskSocket.CHUNK - 256;

    static final int JMP_CALL = 0x85;
    static final int JMP_EXIT = 0x95;

    private static final int ETHERTYPE_IPV4_AS_LOADED = 0x0008; // 0x0800 on the wire, read little-endian
    private static final int ETHERTYPE_IPV6_AS_LOADED = 0xdd86; // 0x86dd
    private static final int IPV6_NEXT_HEADER = 14 + 6;
    private static final int IPV6_DESTINATION = 14 + 24;
    /** IPv6 scopes 0-2 (reserved, interface-local, link-local) are never forwarded, as in the forwarder. */
    private static final int IPV6_LAST_LOCAL_SCOPE = 2;

    private static final int IP_PROTOCOL = 14 + 9;
    private static final int IP_DESTINATION = 14 + 16;
    private static final int UDP = 17;

    /** One instruction; {@code target} names the instruction a jump goes to (null: no jump). */
    record Instruction(int opcode, int dst, int src, String target, int offset, int imm) {}

    private final List<Instruction> code = new ArrayList<>();
    /** Label to the index of the instruction it names. */
    private final Map<String, Integer> labels = new HashMap<>();

    private XdpProgram() {}

    /** The program's instructions, the XSKMAP's descriptor in its ld_imm64. */
    static byte[] redirectMulticast(int xskMapFd) {
        XdpProgram p = new XdpProgram();
        p.op(ALU64_MOV_X, 6, 1, 0, 0); // r6 = ctx
        p.op(LDX_W, 2, 6, XDP_MD_DATA, 0); // r2 = data
        p.op(LDX_W, 3, 6, XDP_MD_DATA_END, 0); // r3 = data_end
        p.op(ALU64_MOV_X, 4, 2, 0, 0);
        p.op(ALU64_ADD_K, 4, 0, 0, 14 + 20);
        p.jump(JMP_JGT_X, 4, 3, 0, "pass"); // shorter than Ethernet and an IPv4 header
        p.op(ALU64_MOV_X, 4, 2, 0, 0);
        p.op(ALU64_ADD_K, 4, 0, 0, MAX_FRAME + 1);
        p.jump(JMP_JLE_X, 4, 3, 0, "pass"); // longer than a UMEM frame: the packet socket takes it whole
        p.op(LDX_H, 5, 2, 12, 0);
        p.jump(JMP_JNE_K, 5, 0, ETHERTYPE_IPV6_AS_LOADED, "ipv4");
        p.op(ALU64_MOV_X, 4, 2, 0, 0);
        p.op(ALU64_ADD_K, 4, 0, 0, 14 + 40);
        p.jump(JMP_JGT_X, 4, 3, 0, "pass"); // shorter than Ethernet and an IPv6 header
        p.op(LDX_B, 5, 2, IPV6_NEXT_HEADER, 0);
        p.jump(JMP_JNE_K, 5, 0, UDP, "pass");
        p.op(LDX_B, 5, 2, IPV6_DESTINATION, 0);
        p.jump(JMP_JNE_K, 5, 0, 0xff, "pass"); // not ff00::/8
        p.op(LDX_B, 5, 2, IPV6_DESTINATION + 1, 0);
        p.op(ALU64_AND_K, 5, 0, 0, 0x0f);
        p.jump(JMP_JLE_K, 5, 0, IPV6_LAST_LOCAL_SCOPE, "pass");
        p.jump(JMP_JA, 0, 0, 0, "redirect");
        p.label("ipv4");
        p.jump(JMP_JNE_K, 5, 0, ETHERTYPE_IPV4_AS_LOADED, "pass");
        p.op(LDX_B, 5, 2, IP_PROTOCOL, 0);
        p.jump(JMP_JNE_K, 5, 0, UDP, "pass");
        p.op(LDX_B, 5, 2, IP_DESTINATION, 0);
        p.op(ALU64_MOV_X, 4, 5, 0, 0);
        p.op(ALU64_AND_K, 4, 0, 0, 0xf0);
        p.jump(JMP_JNE_K, 4, 0, 0xe0, "pass"); // not 224.0.0.0/4
        // 224.0.0.0/24 (local network control) is never forwarded: the kernel keeps it.
        p.jump(JMP_JNE_K, 5, 0, 0xe0, "redirect");
        p.op(LDX_B, 5, 2, IP_DESTINATION + 1, 0);
        p.jump(JMP_JNE_K, 5, 0, 0, "redirect");
        p.op(LDX_B, 5, 2, IP_DESTINATION + 2, 0);
        p.jump(JMP_JEQ_K, 5, 0, 0, "pass");
        p.label("redirect");
        p.op(LD_IMM64, 1, BPF_PSEUDO_MAP_FD, 0, xskMapFd);
        p.op(0, 0, 0, 0, 0); // ld_imm64's second half: the upper 32 bits, zero
        p.op(LDX_W, 2, 6, XDP_MD_RX_QUEUE_INDEX, 0);
        // The flags' low bits are the verdict when the queue has no socket: the frame goes on to the kernel.
        p.op(ALU64_MOV_K, 3, 0, 0, XDP_PASS);
        p.op(JMP_CALL, 0, 0, 0, BPF_FUNC_REDIRECT_MAP);
        p.op(JMP_EXIT, 0, 0, 0, 0);
        p.label("pass");
        p.op(ALU64_MOV_K, 0, 0, 0, XDP_PASS);
        p.op(JMP_EXIT, 0, 0, 0, 0);
        return p.encode();
    }

    private void op(int opcode, int dst, int src, int offset, int imm) {
        code.add(new Instruction(opcode, dst, src, null, offset, imm));
    }

    private void jump(int opcode, int dst, int src, int imm, String target) {
        code.add(new Instruction(opcode, dst, src, target, 0, imm));
    }

    /** Names the next instruction. */
    private void label(String name) {
        labels.put(name, code.size());
    }

    private byte[] encode() {
        ByteBuffer out = ByteBuffer.allocate(code.size() * INSTRUCTION_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < code.size(); i++) {
            Instruction in = code.get(i);
            int offset = in.offset();
            if (in.target() != null) {
                offset = labels.get(in.target()) - i - 1; // relative to the next instruction
            }
            out.put((byte) in.opcode());
            out.put((byte) ((in.src() << 4) | in.dst()));
            out.putShort((short) offset);
            out.putInt(in.imm());
        }
        return out.array();
    }
}
