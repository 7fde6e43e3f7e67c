package dev.mcgate.daemon;

import dev.mcgate.net.Ip4;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;

/**
 * The kernel's drop count of one bound UDP socket, from the {@code drops} column of {@code /proc/self/net/udp}
 * (datagrams that found the receive buffer full, or failed the checksum): what SO_RXQ_OVFL would tell per message,
 * read without recvmsg control messages. The socket is found by its local address and port.
 */
final class UdpSocketDrops {

    private static final Path PROC = Path.of("/proc/self/net/udp");
    /** sl, local_address, rem_address, st, tx_queue:rx_queue, tr:tm->when, retrnsmt, uid, timeout, inode, ref, pointer. */
    private static final int DROPS_COLUMN = 12;

    private UdpSocketDrops() {}

    /** The drops of the socket bound to {@code local:port} in this process's network namespace; empty if unknown. */
    static OptionalLong read(Ip4 local, int port) {
        try {
            return parse(Files.readAllLines(PROC), local, port, ByteOrder.nativeOrder());
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
    }

    /**
     * The drops of the line whose local address is {@code local:port} (or the wildcard address and {@code port}); the
     * kernel prints the address as the hex of its 32-bit value in host order, the port as big-endian hex.
     */
    static OptionalLong parse(List<String> lines, Ip4 local, int port, ByteOrder hostOrder) {
        int bits = hostOrder == ByteOrder.LITTLE_ENDIAN ? Integer.reverseBytes(local.bits()) : local.bits();
        String exact = String.format("%08X:%04X", bits, port);
        String wildcard = String.format("%08X:%04X", 0, port);
        for (String line : lines) {
            String[] f = line.strip().split("\\s+");
            if (f.length > DROPS_COLUMN && (f[1].equalsIgnoreCase(exact) || f[1].equalsIgnoreCase(wildcard))) {
                return OptionalLong.of(Long.parseLong(f[DROPS_COLUMN]));
            }
        }
        return OptionalLong.empty();
    }
}
