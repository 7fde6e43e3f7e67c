package dev.mcgate.io.linux;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The bpf(2) commands the AF_XDP engine needs: an XSKMAP, an XDP program loaded into the kernel's verifier, and a BPF
 * link that attaches it to an interface. Each returns a file descriptor the caller closes; a link's program is
 * detached when its last descriptor closes, so an mcgate that dies leaves no program stealing an interface's frames.
 */
final class Bpf {

    static final int BPF_MAP_CREATE = 0;
    static final int BPF_MAP_UPDATE_ELEM = 2;
    static final int BPF_PROG_LOAD = 5;
    static final int BPF_LINK_CREATE = 28;
    static final int BPF_MAP_TYPE_XSKMAP = 17;
    static final int BPF_PROG_TYPE_XDP = 6;
    static final int BPF_XDP = 37;
    /** XDP_FLAGS_SKB_MODE: the kernel's generic hook, after the socket buffer is built; every driver has it. */
    static final int XDP_FLAGS_SKB_MODE = 2;
    /** XDP_FLAGS_DRV_MODE: the driver's own hook, before a socket buffer exists. */
    static final int XDP_FLAGS_DRV_MODE = 4;
    /** Room for the verifier's account of a refused program. */
    private static final int LOG_SIZE = 64 * 1024;
    /** Larger than every bpf_attr variant used here; the tail stays zero, as the kernel requires. */
    private static final int ATTR_SIZE = 128;

    private Bpf() {}

    /** An XSKMAP of {@code entries} receive queues: queue index to AF_XDP socket. */
    static int createXskMap(int entries, String name) throws IOException {
        try (Memory attr = attr()) {
            attr.setInt(0, BPF_MAP_TYPE_XSKMAP);
            attr.setInt(4, 4);
            attr.setInt(8, 4);
            attr.setInt(12, entries);
            attr.write(28, objectName(name), 0, 15);
            return (int) call(BPF_MAP_CREATE, attr);
        } catch (LastErrorException e) {
            throw new IOException("cannot create an XSKMAP (" + Errno.describe(e) + ")");
        }
    }

    /** Puts socket {@code socketFd} in the map at {@code queue}. */
    static void setXskMapEntry(int mapFd, int queue, int socketFd) throws IOException {
        try (Memory attr = attr();
                Memory key = new Memory(4);
                Memory value = new Memory(4)) {
            key.setInt(0, queue);
            value.setInt(0, socketFd);
            attr.setInt(0, mapFd);
            attr.setPointer(8, key);
            attr.setPointer(16, value);
            call(BPF_MAP_UPDATE_ELEM, attr);
        } catch (LastErrorException e) {
            throw new IOException("cannot put the AF_XDP socket in the XSKMAP (" + Errno.describe(e) + ")");
        }
    }

    /**
     * Loads an XDP program. Without a verifier log first (a log too small for a success fails the load on newer
     * kernels); a refusal is loaded again with one, and the message carries the verifier's last words.
     */
    static int loadXdp(byte[] instructions, String name) throws IOException {
        try {
            return load(instructions, name, null);
        } catch (LastErrorException first) {
            try (Memory log = new Memory(LOG_SIZE)) {
                log.clear();
                try {
                    return load(instructions, name, log);
                } catch (LastErrorException e) {
                    String words = log.getString(0, "US-ASCII").strip();
                    int cut = words.lastIndexOf('\n', Math.max(0, words.length() - 400));
                    throw new IOException("the kernel refused the XDP program (" + Errno.describe(e) + ")"
                            + (words.isEmpty()
                                    ? ""
                                    : ": " + words.substring(cut + 1).replace('\n', ' ')));
                }
            }
        }
    }

    private static int load(byte[] instructions, String name, Memory log) throws LastErrorException {
        try (Memory attr = attr();
                Memory code = new Memory(instructions.length);
                Memory license = new Memory(8)) {
            code.write(0, instructions, 0, instructions.length);
            license.clear();
            license.setString(0, "GPL", "US-ASCII");
            attr.setInt(0, BPF_PROG_TYPE_XDP);
            attr.setInt(4, instructions.length / XdpProgram.INSTRUCTION_SIZE);
            attr.setPointer(8, code);
            attr.setPointer(16, license);
            if (log != null) {
                attr.setInt(24, 1);
                attr.setInt(28, (int) log.size());
                attr.setPointer(32, log);
            }
            attr.write(48, objectName(name), 0, 15);
            attr.setInt(68, BPF_XDP);
            return (int) call(BPF_PROG_LOAD, attr);
        }
    }

    /** Attaches {@code programFd} to interface {@code ifindex} in {@code mode} (XDP_FLAGS_*); returns the link. */
    static int attachXdp(int programFd, int ifindex, int mode) throws LastErrorException {
        try (Memory attr = attr()) {
            attr.setInt(0, programFd);
            attr.setInt(4, ifindex);
            attr.setInt(8, BPF_XDP);
            attr.setInt(12, mode);
            return (int) call(BPF_LINK_CREATE, attr);
        }
    }

    private static Memory attr() {
        Memory attr = new Memory(ATTR_SIZE);
        attr.clear();
        return attr;
    }

    private static long call(int command, Memory attr) throws LastErrorException {
        if (XdpCalls.SYS_BPF < 0) {
            throw new LastErrorException(38); // ENOSYS: an architecture whose number is not known here
        }
        return XdpCalls.syscall(XdpCalls.SYS_BPF, command, attr, ATTR_SIZE);
    }

    /** A kernel object name: at most 15 characters of [A-Za-z0-9_.], NUL-padded. */
    private static byte[] objectName(String name) {
        byte[] out = new byte[15];
        byte[] in = name.replaceAll("[^A-Za-z0-9_.]", "_").getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(in, 0, out, 0, Math.min(in.length, out.length));
        return out;
    }
}
