package dev.mcgate.packet;

import static dev.mcgate.packet.Bytes.put16;
import static dev.mcgate.packet.Bytes.u16;

import dev.mcgate.net.MacAddress;
import dev.mcgate.packet.MalformedPacketException.Reason;
import java.util.Objects;

/**
 * An Ethernet II header with at most one IEEE 802.1Q tag.
 *
 * @param vlanTci the tag control information (PCP, DEI, VLAN id) of the 802.1Q tag, or {@link #NO_VLAN}
 * @param etherType the type of the payload (after the tag, if any)
 */
public record EthernetHeader(MacAddress destination, MacAddress source, int vlanTci, int etherType) {

    public static final int NO_VLAN = -1;
    public static final int ETHERTYPE_IPV4 = 0x0800;
    public static final int ETHERTYPE_VLAN = 0x8100;
    public static final int LENGTH = 14;
    public static final int TAGGED_LENGTH = 18;

    public EthernetHeader {
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(source, "source");
        if (vlanTci < NO_VLAN || vlanTci > 0xffff) {
            throw new IllegalArgumentException("VLAN TCI " + vlanTci);
        }
        if (etherType < 0 || etherType > 0xffff || etherType == ETHERTYPE_VLAN) {
            throw new IllegalArgumentException("EtherType " + etherType);
        }
    }

    public static EthernetHeader untagged(MacAddress destination, MacAddress source, int etherType) {
        return new EthernetHeader(destination, source, NO_VLAN, etherType);
    }

    public boolean isTagged() {
        return vlanTci != NO_VLAN;
    }

    /** The 12-bit VLAN id, or -1 if untagged. */
    public int vlanId() {
        return isTagged() ? vlanTci & 0xfff : NO_VLAN;
    }

    public int length() {
        return isTagged() ? TAGGED_LENGTH : LENGTH;
    }

    public static EthernetHeader decode(byte[] b, int length) throws MalformedPacketException {
        if (length < LENGTH) {
            throw new MalformedPacketException(Reason.TRUNCATED, "Ethernet header in " + length + " octets");
        }
        MacAddress destination = MacAddress.fromBytes(b, 0);
        MacAddress source = MacAddress.fromBytes(b, 6);
        int type = u16(b, 12);
        if (type != ETHERTYPE_VLAN) {
            return new EthernetHeader(destination, source, NO_VLAN, type);
        }
        if (length < TAGGED_LENGTH) {
            throw new MalformedPacketException(Reason.TRUNCATED, "802.1Q header in " + length + " octets");
        }
        int inner = u16(b, 16);
        if (inner == ETHERTYPE_VLAN) {
            throw new MalformedPacketException(Reason.NOT_IPV4, "more than one 802.1Q tag");
        }
        return new EthernetHeader(destination, source, u16(b, 14), inner);
    }

    public int writeTo(byte[] b, int offset) {
        destination.writeTo(b, offset);
        source.writeTo(b, offset + 6);
        if (isTagged()) {
            put16(b, offset + 12, ETHERTYPE_VLAN);
            put16(b, offset + 14, vlanTci);
            put16(b, offset + 16, etherType);
        } else {
            put16(b, offset + 12, etherType);
        }
        return length();
    }
}
