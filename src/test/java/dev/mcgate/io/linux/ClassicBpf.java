package dev.mcgate.io.linux;

import java.util.List;

/**
 * A classic BPF interpreter for the instructions {@link CaptureProgram} emits, with the kernel's semantics: a load
 * past the end of the packet rejects it, jumps are forward offsets, ancillary loads read the socket-buffer metadata.
 * It exists so the programs can be run on frames without a kernel.
 */
final class ClassicBpf {

    /** What the kernel knows about a frame besides its bytes. */
    record Metadata(int packetType, boolean vlanTagPresent) {
        static final Metadata INCOMING = new Metadata(2, false);
    }

    private ClassicBpf() {}

    /** The program's verdict: the number of octets to keep, 0 to drop. */
    static int run(List<CaptureProgram.Instruction> program, byte[] packet, Metadata meta) {
        int a = 0;
        int pc = 0;
        for (int steps = 0; steps < 4096; steps++) {
            CaptureProgram.Instruction i = program.get(pc++);
            int code = i.code();
            switch (code & 0x07) {
                case CaptureProgram.BPF_LD -> {
                    if ((code & 0xe0) != CaptureProgram.BPF_ABS) {
                        throw new IllegalArgumentException("unsupported load mode " + code);
                    }
                    int k = i.k();
                    if (k < 0) {
                        a = ancillary(k - CaptureProgram.SKF_AD_OFF, meta);
                    } else {
                        int size = switch (code & 0x18) {
                            case CaptureProgram.BPF_W -> 4;
                            case CaptureProgram.BPF_H -> 2;
                            case CaptureProgram.BPF_B -> 1;
                            default -> throw new IllegalArgumentException("size " + code);
                        };
                        if (k + size > packet.length) {
                            return 0;
                        }
                        a = 0;
                        for (int b = 0; b < size; b++) {
                            a = (a << 8) | (packet[k + b] & 0xff);
                        }
                    }
                }
                case CaptureProgram.BPF_ALU -> {
                    if (code != (CaptureProgram.BPF_ALU | CaptureProgram.BPF_AND | CaptureProgram.BPF_K)) {
                        throw new IllegalArgumentException("unsupported ALU op " + code);
                    }
                    a &= i.k();
                }
                case CaptureProgram.BPF_JMP -> {
                    if (code != (CaptureProgram.BPF_JMP | CaptureProgram.BPF_JEQ | CaptureProgram.BPF_K)) {
                        throw new IllegalArgumentException("unsupported jump " + code);
                    }
                    pc += a == i.k() ? i.jt() : i.jf();
                }
                case CaptureProgram.BPF_RET -> {
                    return i.k();
                }
                default -> throw new IllegalArgumentException("unsupported class " + code);
            }
        }
        throw new IllegalStateException("program did not return");
    }

    private static int ancillary(int which, Metadata meta) {
        return switch (which) {
            case CaptureProgram.SKF_AD_PKTTYPE -> meta.packetType();
            case CaptureProgram.SKF_AD_VLAN_TAG_PRESENT -> meta.vlanTagPresent() ? 1 : 0;
            default -> throw new IllegalArgumentException("unsupported ancillary load " + which);
        };
    }
}
