package dev.mcgate.io.linux;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Set;

/**
 * An eBPF interpreter for the instructions {@link XdpProgram} emits, with the verifier's rules where they matter: a
 * packet read must lie inside [data, data_end) (the verifier refuses a program that could read past it; here such a
 * read fails the run), jumps stay inside the program, and {@code bpf_redirect_map} on an XSKMAP answers XDP_REDIRECT
 * for a queue with a socket and the flags' low bits otherwise. It exists so the program can be run on frames without
 * a kernel.
 */
final class ExtendedBpf {

    static final int XDP_PASS = 2;
    static final int XDP_REDIRECT = 4;

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
                case XdpProgram.ALU64_MOV_X -> r[dst] = r[src];
                case XdpProgram.ALU64_MOV_K -> r[dst] = imm;
                case XdpProgram.ALU64_ADD_K -> r[dst] += imm;
                case XdpProgram.ALU64_AND_K -> r[dst] &= imm;
                case XdpProgram.LDX_W -> r[dst] = load(r[src] + offset, 4, frame, rxQueue, r);
                case XdpProgram.LDX_H -> r[dst] = load(r[src] + offset, 2, frame, rxQueue, r);
                case XdpProgram.LDX_B -> r[dst] = load(r[src] + offset, 1, frame, rxQueue, r);
                case XdpProgram.LD_IMM64 -> {
                    if (src != XdpProgram.BPF_PSEUDO_MAP_FD || imm != mapFd) {
                        throw new IllegalStateException("ld_imm64 of something but our map");
                    }
                    r[dst] = MAP;
                    pc++;
                }
                case XdpProgram.JMP_JEQ_K -> pc += r[dst] == imm ? offset : 0;
                case XdpProgram.JMP_JNE_K -> pc += r[dst] != imm ? offset : 0;
                case XdpProgram.JMP_JGT_X -> pc += Long.compareUnsigned(r[dst], r[src]) > 0 ? offset : 0;
                case XdpProgram.JMP_CALL -> {
                    if (imm != XdpProgram.BPF_FUNC_REDIRECT_MAP || r[1] != MAP) {
                        throw new IllegalStateException("call of helper " + imm);
                    }
                    key = (int) r[2];
                    r[0] = queuesWithSocket.contains(key) ? XDP_REDIRECT : r[3] & 3;
                    for (int i = 1; i <= 5; i++) {
                        r[i] = 0xdead; // the caller-saved registers are garbage after a call
                    }
                }
                case XdpProgram.JMP_EXIT -> {
                    return new Verdict((int) r[0], key);
                }
                default -> throw new IllegalStateException("unknown opcode " + opcode);
            }
        }
        throw new IllegalStateException("the program does not end");
    }

    private static long load(long address, int size, byte[] frame, int rxQueue, long[] r) {
        if (address >= CTX && address < CTX + 24) {
            return switch ((int) (address - CTX)) {
                case XdpProgram.XDP_MD_DATA -> PACKET;
                case XdpProgram.XDP_MD_DATA_END -> PACKET + frame.length;
                case XdpProgram.XDP_MD_RX_QUEUE_INDEX -> rxQueue;
                default -> throw new IllegalStateException("context field " + (address - CTX));
            };
        }
        long index = address - PACKET;
        if (index < 0 || index + size > frame.length) {
            throw new IllegalStateException("read of " + size + " octets at " + index + " past a frame of "
                    + frame.length + ": the verifier would refuse this");
        }
        long value = 0;
        for (int i = size - 1; i >= 0; i--) {
            value = (value << 8) | (frame[(int) index + i] & 0xff);
        }
        return value;
    }
}
