package dev.mcgate.io.linux;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Set;

/**
 * An eBPF interpreter for the instructions {@link XdpProgram} emits, with the verifier's rules where they matter: a
 * packet read must lie inside the octets a bounds check has proved present (the verifier refuses a program that could
 * read past them, whatever the frame at hand; here such a read fails the run), jumps stay inside the program, and
 * {@code bpf_redirect_map} on an XSKMAP answers XDP_REDIRECT for a queue with a socket and the flags' low bits
 * otherwise. Opcodes, context offsets and the helper's number are written here from the instruction set and UAPI
 * headers, not taken from the class under test, so a wrong constant there fails. It exists so the program can be
 * run on frames without a kernel.
 */
final class ExtendedBpf {

    static final int XDP_PASS = 2;
    static final int XDP_REDIRECT = 4;

    // From the eBPF instruction set (RFC 9669) and include/uapi/linux/bpf.h.
    private static final int LDX_W = 0x61;
    private static final int LDX_H = 0x69;
    private static final int LDX_B = 0x71;
    private static final int LD_IMM64 = 0x18;
    private static final int MOV64_K = 0xb7;
    private static final int MOV64_X = 0xbf;
    private static final int ADD64_K = 0x07;
    private static final int AND64_K = 0x57;
    private static final int JEQ_K = 0x15;
    private static final int JNE_K = 0x55;
    private static final int JGT_X = 0x2d;
    private static final int JLE_X = 0xbd;
    private static final int JLE_K = 0xb5;
    private static final int JA = 0x05;
    private static final int CALL = 0x85;
    private static final int EXIT = 0x95;
    private static final int PSEUDO_MAP_FD = 1;
    private static final int HELPER_REDIRECT_MAP = 51;
    /** struct xdp_md: data, data_end, data_meta, ingress_ifindex, rx_queue_index. */
    private static final int MD_DATA = 0;

    private static final int MD_DATA_END = 4;
    private static final int MD_RX_QUEUE_INDEX = 16;

    /** Pointer values: the context and the packet live at distinct, recognisable addresses. */
    private static final long CTX = 0x1000_0000L;

    private static final long PACKET = 0x2000_0000L;
    private static final long MAP = 0x3000_0000L;

    /** The verdict and, for a redirect, the map key (receive queue) asked for. */
    record Verdict(int action, int key) {}

    private ExtendedBpf() {}

    /**
     * Runs {@code program} on {@code frame} as received on {@code rxQueue}, with XSKMAP entries for {@code queuesWithSocket}
     * (the map's descriptor in the program is {@code mapFd}).
     */
    static Verdict run(byte[] program, int mapFd, byte[] frame, int rxQueue, Set<Integer> queuesWithSocket) {
        ByteBuffer code = ByteBuffer.wrap(program).order(ByteOrder.LITTLE_ENDIAN);
        int count = program.length / 8;
        long[] r = new long[11];
        r[1] = CTX;
        int key = -1;
        int pc = 0;
        long proven = 0; // octets from data a bounds check has shown to be in the frame
        for (int steps = 0; steps < 10_000; steps++) {
            if (pc < 0 || pc >= count) {
                throw new IllegalStateException("jumped outside the program: " + pc);
            }
            int at = pc * 8;
            int opcode = code.get(at) & 0xff;
            int dst = code.get(at + 1) & 0x0f;
            int src = (code.get(at + 1) >> 4) & 0x0f;
            short offset = code.getShort(at + 2);
            int imm = code.getInt(at + 4);
            pc++;
            switch (opcode) {
                case MOV64_X -> r[dst] = r[src];
                case MOV64_K -> r[dst] = imm;
                case ADD64_K -> r[dst] += imm;
                case AND64_K -> r[dst] &= imm;
                case LDX_W -> r[dst] = load(r[src] + offset, 4, frame, rxQueue, proven);
                case LDX_H -> r[dst] = load(r[src] + offset, 2, frame, rxQueue, proven);
                case LDX_B -> r[dst] = load(r[src] + offset, 1, frame, rxQueue, proven);
                case LD_IMM64 -> {
                    if (src != PSEUDO_MAP_FD || imm != mapFd || code.getLong(pc * 8) != 0) {
                        throw new IllegalStateException("ld_imm64 of something but our map");
                    }
                    r[dst] = MAP;
                    pc++;
                }
                case JEQ_K -> pc += r[dst] == imm ? offset : 0;
                case JNE_K -> pc += r[dst] != imm ? offset : 0;
                case JGT_X -> {
                    boolean taken = Long.compareUnsigned(r[dst], r[src]) > 0;
                    if (!taken && isPacketEnd(r[src], frame) && r[dst] >= PACKET && r[dst] < MAP) {
                        proven = Math.max(proven, r[dst] - PACKET); // data + n <= data_end: n octets are there
                    }
                    pc += taken ? offset : 0;
                }
                case JLE_X -> pc += Long.compareUnsigned(r[dst], r[src]) <= 0 ? offset : 0;
                case JLE_K -> pc += Long.compareUnsigned(r[dst], imm) <= 0 ? offset : 0;
                case JA -> pc += offset;
                case CALL -> {
                    if (imm != HELPER_REDIRECT_MAP || r[1] != MAP) {
                        throw new IllegalStateException("call of helper " + imm);
                    }
                    key = (int) r[2];
                    r[0] = queuesWithSocket.contains(key) ? XDP_REDIRECT : r[3] & 3;
                    for (int i = 1; i <= 5; i++) {
                        r[i] = 0xdead; // the caller-saved registers are garbage after a call
                    }
                }
                case EXIT -> {
                    return new Verdict((int) r[0], key);
                }
                default -> throw new IllegalStateException("unknown opcode " + opcode);
            }
        }
        throw new IllegalStateException("the program does not end");
    }

    private static boolean isPacketEnd(long value, byte[] frame) {
        return value == PACKET + frame.length;
    }

    private static long load(long address, int size, byte[] frame, int rxQueue, long proven) {
        if (address >= CTX && address < CTX + 24) {
            return switch ((int) (address - CTX)) {
                case MD_DATA -> PACKET;
                case MD_DATA_END -> PACKET + frame.length;
                case MD_RX_QUEUE_INDEX -> rxQueue;
                default -> throw new IllegalStateException("context field " + (address - CTX));
            };
        }
        long index = address - PACKET;
        if (index < 0 || index + size > proven) {
            throw new IllegalStateException("read of " + size + " octets at " + index + " where a bounds check proved "
                    + proven + ": the verifier would refuse this");
        }
        long value = 0;
        for (int i = size - 1; i >= 0; i--) {
            value = (value << 8) | (frame[(int) index + i] & 0xff);
        }
        return value;
    }
}
