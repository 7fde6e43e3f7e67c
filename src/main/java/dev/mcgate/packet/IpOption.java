package dev.mcgate.packet;

import java.util.Arrays;

/**
 * One IPv4 option (RFC 791 §3.1): its type octet and its data (the octets after type and length). Options other than Router Alert are kept as they came.
 */
public record IpOption(int type, byte[] data) {

    /** End of Option List: not kept, it only ends the list before the padding. */
    static final int END_OF_OPTION_LIST = 0;
    /** No Operation: a single octet. */
    public static final int NO_OPERATION = 1;
    /** Router Alert, RFC 2113 §2.1: copied flag set, class 0, number 20. */
    public static final int ROUTER_ALERT_TYPE = 0x94;

    /** Router Alert with value 0, "Router shall examine packet": the octets 94 04 00 00. */
    public static final IpOption ROUTER_ALERT = new IpOption(ROUTER_ALERT_TYPE, new byte[2]);

    public static final IpOption NOP = new IpOption(NO_OPERATION, new byte[0]);

    public IpOption {
        if (type < 0 || type > 0xff || type == END_OF_OPTION_LIST) {
            throw new IllegalArgumentException("option type " + type);
        }
        if (type == NO_OPERATION && data.length != 0) {
            throw new IllegalArgumentException("NOP carries no data");
        }
        if (data.length > 38) {
            // 40 octets of options at most, two of them type and length.
            throw new IllegalArgumentException("option data of " + data.length + " octets");
        }
        data = data.clone();
    }

    @Override
    public byte[] data() {
        return data.clone();
    }

    /** Octets on the wire: one for NOP, else type + length + data. */
    public int length() {
        return type == NO_OPERATION ? 1 : 2 + data.length;
    }

    /** RFC 2113: a Router Alert option is type 148, length 4; any value counts (only 0 is defined for IPv4). */
    public boolean isRouterAlert() {
        return type == ROUTER_ALERT_TYPE && data.length == 2;
    }

    void writeTo(byte[] b, int at) {
        b[at] = (byte) type;
        if (type != NO_OPERATION) {
            b[at + 1] = (byte) (2 + data.length);
            System.arraycopy(data, 0, b, at + 2, data.length);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IpOption other && type == other.type && Arrays.equals(data, other.data);
    }

    @Override
    public int hashCode() {
        return 31 * type + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        if (isRouterAlert()) {
            return "RouterAlert(" + Bytes.u16(data, 0) + ")";
        }
        return "IpOption(" + type + ", " + data.length + " octets)";
    }
}
