package dev.mcgate.packet;

import static dev.mcgate.packet.Bytes.u8;

import dev.mcgate.packet.MalformedMldException.Reason;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/**
 * An IPv6 Hop-by-Hop Options header (RFC 8200 §4.3), which carries the Router Alert option of every MLD message (RFC
 * 9777 §5, RFC 2711). Options are kept in wire order, padding included; encoding pads the end to a multiple of 8 octets.
 *
 * <p>An option this codec does not know is kept if its action bits are 00 ("skip over this option") and makes the decode
 * fail with {@link Reason#UNKNOWN_OPTION} otherwise: the packet is to be discarded, and the intake counts it.
 */
public record HopByHopOptions(int nextHeader, List<Ipv6Option> options) {

    /** Next Header and Hdr Ext Len. */
    static final int FIXED_LENGTH = 2;
    /** RFC 4942 §2.1.9.5 / Linux: a run of padding longer than 7 octets is never needed and is refused. */
    private static final int MAX_PADDING = 7;

    /** What Linux sends in front of MLD: next header ICMPv6, Router Alert (MLD), PadN of 0: 3a 00 05 02 00 00 01 00. */
    public static final HopByHopOptions MLD_ROUTER_ALERT =
            new HopByHopOptions(Ipv6Header.NEXT_HEADER_ICMPV6, List.of(Ipv6Option.ROUTER_ALERT, Ipv6Option.padN(0)));

    public HopByHopOptions {
        if (nextHeader < 0 || nextHeader > 0xff) {
            throw new IllegalArgumentException("next header " + nextHeader);
        }
        options = List.copyOf(options);
        int length = length(options);
        if (length > 8 * 256) {
            throw new IllegalArgumentException("options need " + length + " octets, 2048 at most");
        }
        // What the decoder refuses is not built either: a run of padding, with what writeTo adds at the end, over 7.
        int run = 0;
        for (Ipv6Option option : options) {
            run = option.isPadding() ? run + option.length() : 0;
            if (run > MAX_PADDING) {
                throw new IllegalArgumentException(run + " octets of padding in a row");
            }
        }
        int tail = length - unpaddedLength(options);
        if (tail > 0 && run + tail > MAX_PADDING) {
            throw new IllegalArgumentException((run + tail) + " octets of padding at the end");
        }
    }

    /** The header on the wire, a multiple of 8 octets. */
    public int length() {
        return length(options);
    }

    /** The value of the first Router Alert option (RFC 2711: 0 is MLD), or empty if there is none. */
    public OptionalInt routerAlert() {
        for (Ipv6Option option : options) {
            if (option.isRouterAlert()) {
                return OptionalInt.of(Bytes.u16(option.data(), 0));
            }
        }
        return OptionalInt.empty();
    }

    /** Reads the header at {@code offset}; {@code available} is how much of the IPv6 payload is left from there. */
    public static HopByHopOptions decode(byte[] b, int offset, int available) throws MalformedMldException {
        if (available < FIXED_LENGTH) {
            throw new MalformedMldException(Reason.TRUNCATED, "Hop-by-Hop header in " + available + " octets");
        }
        int length = 8 * (u8(b, offset + 1) + 1);
        if (length > available) {
            throw new MalformedMldException(
                    Reason.TRUNCATED, "Hop-by-Hop header of " + length + " octets in " + available);
        }
        return new HopByHopOptions(u8(b, offset), decodeOptions(b, offset + FIXED_LENGTH, offset + length));
    }

    /** RFC 8200 §4.2: type, length, data; Pad1 is a lone octet. */
    private static List<Ipv6Option> decodeOptions(byte[] b, int start, int end) throws MalformedMldException {
        List<Ipv6Option> options = new ArrayList<>(2);
        int padding = 0;
        int at = start;
        while (at < end) {
            int type = u8(b, at);
            if (type == Ipv6Option.PAD1_TYPE) {
                options.add(Ipv6Option.PAD1);
                padding = checkPadding(padding + 1);
                at++;
                continue;
            }
            if (at + 1 >= end) {
                throw new MalformedMldException(Reason.BAD_OPTION, "option " + type + " has no length");
            }
            int dataLength = u8(b, at + 1);
            if (at + 2 + dataLength > end) {
                throw new MalformedMldException(Reason.BAD_OPTION, "option " + type + " of length " + dataLength);
            }
            byte[] data = new byte[dataLength];
            System.arraycopy(b, at + 2, data, 0, dataLength);
            if (type == Ipv6Option.PADN_TYPE) {
                padding = checkPadding(padding + 2 + dataLength);
                for (byte octet : data) {
                    if (octet != 0) {
                        // RFC 4942 §2.1.9.5: padding that carries data is a covert channel; Linux drops it too.
                        throw new MalformedMldException(Reason.BAD_OPTION, "PadN with non-zero octets");
                    }
                }
            } else {
                padding = 0;
                if (type == Ipv6Option.ROUTER_ALERT_TYPE && dataLength != 2) {
                    throw new MalformedMldException(Reason.BAD_OPTION, "Router Alert of length " + dataLength);
                }
                if (type != Ipv6Option.ROUTER_ALERT_TYPE && Ipv6Option.action(type) != 0) {
                    throw new MalformedMldException(
                            Reason.UNKNOWN_OPTION,
                            "option 0x" + Integer.toHexString(type) + " with action " + Ipv6Option.action(type));
                }
            }
            Ipv6Option option = new Ipv6Option(type, data);
            options.add(option);
            at += option.length();
        }
        return options;
    }

    private static int checkPadding(int padding) throws MalformedMldException {
        if (padding > MAX_PADDING) {
            throw new MalformedMldException(Reason.BAD_OPTION, padding + " octets of padding in a row");
        }
        return padding;
    }

    /** Writes the header, then Pad1 or PadN up to the next multiple of 8 octets. */
    public int writeTo(byte[] b, int offset) {
        int length = length();
        b[offset] = (byte) nextHeader;
        b[offset + 1] = (byte) (length / 8 - 1);
        int at = offset + FIXED_LENGTH;
        for (Ipv6Option option : options) {
            option.writeTo(b, at);
            at += option.length();
        }
        int rest = offset + length - at;
        if (rest == 1) {
            Ipv6Option.PAD1.writeTo(b, at);
        } else if (rest > 1) {
            Ipv6Option.padN(rest - 2).writeTo(b, at);
        }
        return length;
    }

    private static int length(List<Ipv6Option> options) {
        return (unpaddedLength(options) + 7) & ~7;
    }

    private static int unpaddedLength(List<Ipv6Option> options) {
        int length = FIXED_LENGTH;
        for (Ipv6Option option : options) {
            length += option.length();
        }
        return length;
    }
}
