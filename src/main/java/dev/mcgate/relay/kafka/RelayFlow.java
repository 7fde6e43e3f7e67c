package dev.mcgate.relay.kafka;

import dev.mcgate.net.Ip4;
import dev.mcgate.net.Ip6;
import dev.mcgate.net.IpAddress;
import dev.mcgate.net.IpFamily;
import java.util.Objects;

/**
 * A flow as the Kafka relay keys it: (source, group, destination port). Its record key encoding is compact and stable:
 *
 * <pre>
 *   octet 0       4 (IPv4) or 6 (IPv6): the family, which also versions the encoding
 *   then          the group, 4 or 16 octets, network order
 *   then          the source, 4 or 16 octets
 *   last 2        the destination UDP port, big-endian
 * </pre>
 *
 * 11 octets for IPv4, 35 for IPv6. The producer's default partitioner hashes the key, so one flow stays in one
 * partition, which keeps its order.
 */
public record RelayFlow(IpAddress source, IpAddress group, int port) {

    public RelayFlow {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(group, "group");
        if (source.family() != group.family()) {
            throw new IllegalArgumentException("source " + source + " and group " + group + " differ in family");
        }
        if (port < 0 || port > 0xffff) {
            throw new IllegalArgumentException("port " + port + " is out of range");
        }
    }

    public byte[] toKey() {
        int length = source.family() == IpFamily.IPV4 ? 4 : 16;
        byte[] key = new byte[1 + 2 * length + 2];
        key[0] = (byte) (length == 4 ? 4 : 6);
        System.arraycopy(group.toBytes(), 0, key, 1, length);
        System.arraycopy(source.toBytes(), 0, key, 1 + length, length);
        key[key.length - 2] = (byte) (port >>> 8);
        key[key.length - 1] = (byte) port;
        return key;
    }

    /** @throws IllegalArgumentException if the key is not a flow key of this encoding */
    public static RelayFlow fromKey(byte[] key) {
        if (key == null || key.length == 0) {
            throw new IllegalArgumentException("no key");
        }
        int length = switch (key[0]) {
            case 4 -> 4;
            case 6 -> 16;
            default -> throw new IllegalArgumentException("unknown flow key version " + key[0]);
        };
        if (key.length != 1 + 2 * length + 2) {
            throw new IllegalArgumentException("flow key of " + key.length + " octets");
        }
        IpAddress group = length == 4 ? Ip4.fromBytes(key, 1) : Ip6.fromBytes(key, 1);
        IpAddress source = length == 4 ? Ip4.fromBytes(key, 1 + length) : Ip6.fromBytes(key, 1 + length);
        if (!group.isMulticast()) {
            throw new IllegalArgumentException("flow key's group " + group + " is not multicast");
        }
        int port = ((key[key.length - 2] & 0xff) << 8) | (key[key.length - 1] & 0xff);
        return new RelayFlow(source, group, port);
    }
}
