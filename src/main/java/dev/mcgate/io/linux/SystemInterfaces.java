package dev.mcgate.io.linux;

import dev.mcgate.io.InterfaceDirectory;
import dev.mcgate.io.NetInterface;
import dev.mcgate.io.NetInterface.Flags;
import dev.mcgate.io.NetInterface.InterfaceAddress;
import dev.mcgate.net.Ip4;
import dev.mcgate.net.Ip4Prefix;
import dev.mcgate.net.MacAddress;
import java.net.Inet4Address;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The interfaces of the network namespace this process (or calling thread) is in, read from the kernel.
 */
public final class SystemInterfaces implements InterfaceDirectory {

    @Override
    public List<NetInterface> list() {
        List<NetInterface> result = new ArrayList<>();
        try {
            for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                result.add(describe(nif));
            }
        } catch (SocketException e) {
            // The JDK could not list interfaces at all (no netlink): an empty list makes every interface pending.
            return List.of();
        }
        result.sort(Comparator.comparingInt(NetInterface::index));
        return List.copyOf(result);
    }

    @Override
    public Optional<NetInterface> find(String name) {
        try {
            NetworkInterface nif = NetworkInterface.getByName(name);
            return nif == null ? Optional.empty() : Optional.of(describe(nif));
        } catch (SocketException e) {
            return Optional.empty();
        }
    }

    private static NetInterface describe(NetworkInterface nif) throws SocketException {
        List<InterfaceAddress> addresses = new ArrayList<>();
        for (java.net.InterfaceAddress ia : nif.getInterfaceAddresses()) {
            if (ia.getAddress() instanceof Inet4Address v4) {
                Ip4 address = Ip4.fromBytes(v4.getAddress(), 0);
                int length = Math.max(0, Math.min(32, ia.getNetworkPrefixLength()));
                addresses.add(new InterfaceAddress(address, Ip4Prefix.containing(address, length)));
            }
        }
        // Sorted so that polls compare equal while nothing changed; the lowest address is the one queries come from.
        addresses.sort(Comparator.comparing(InterfaceAddress::address));
        byte[] mac = nif.getHardwareAddress();
        Optional<MacAddress> macOpt = mac != null && mac.length == 6 && !allZero(mac) ? Optional.of(MacAddress.fromBytes(mac, 0))
                : Optional.empty();
        OptionalInt raw = InterfaceFlags.read(nif.getName());
        Flags flags;
        if (raw.isPresent()) {
            int f = raw.getAsInt();
            flags = new Flags((f & InterfaceFlags.IFF_UP) != 0, (f & InterfaceFlags.IFF_RUNNING) != 0,
                    (f & InterfaceFlags.IFF_MULTICAST) != 0, (f & InterfaceFlags.IFF_LOOPBACK) != 0,
                    (f & InterfaceFlags.IFF_POINTOPOINT) != 0);
        } else {
            boolean up = nif.isUp();
            flags = new Flags(up, up, nif.supportsMulticast(), nif.isLoopback(), nif.isPointToPoint());
        }
        return new NetInterface(nif.getName(), nif.getIndex(), macOpt, addresses, nif.getMTU(), flags);
    }

    private static boolean allZero(byte[] bytes) {
        for (byte b : bytes) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }
}
