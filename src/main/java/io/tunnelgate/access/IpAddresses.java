package io.tunnelgate.access;

import io.netty.util.NetUtil;

/**
 * IP address text parsed the way nginx parses it at request time ({@code ngx_inet_addr},
 * {@code ngx_parse_addr}, {@code ngx_parse_addr_port}), for {@code geo}'s source value and
 * {@code X-Forwarded-For}. Addresses are raw bytes: 4 for IPv4, 16 for IPv6.
 */
public final class IpAddresses {
    /** nginx's {@code INADDR_NONE}: the value of an IPv4 address that did not parse. */
    public static final long NONE = 0xffffffffL;

    private IpAddresses() {
    }

    /**
     * nginx's {@code ngx_inet_addr}: a dotted quad of decimal octets (each at most 255; an empty
     * octet counts as 0), as an unsigned 32-bit value.
     *
     * @return the address, or {@link #NONE} when it does not parse, which, as in nginx, is also
     *     what 255.255.255.255 gives
     */
    public static long inetAddr(String s, int from, int to) {
        long addr = 0;
        int octet = 0;
        int dots = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c >= '0' && c <= '9') {
                octet = octet * 10 + (c - '0');
                if (octet > 255) {
                    return NONE;
                }
            } else if (c == '.') {
                addr = (addr << 8) + octet;
                octet = 0;
                dots++;
            } else {
                return NONE;
            }
        }
        return dots == 3 ? (addr << 8) + octet : NONE;
    }

    /**
     * nginx's {@code ngx_parse_addr}: an IPv4 address as {@link #inetAddr} reads it, or an IPv6
     * address (no brackets, no zone).
     *
     * @return 4 or 16 bytes, or null when {@code s[from, to)} is neither
     */
    public static byte[] parse(String s, int from, int to) {
        long v4 = inetAddr(s, from, to);
        if (v4 != NONE) {
            return new byte[] {(byte) (v4 >>> 24), (byte) (v4 >>> 16), (byte) (v4 >>> 8), (byte) v4};
        }
        boolean colon = false;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            colon |= c == ':';
            if (!(c == ':' || c == '.' || c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F')) {
                return null;
            }
        }
        if (!colon) {
            return null;
        }
        byte[] v6 = NetUtil.createByteArrayFromIpAddressString(s.substring(from, to));
        return v6 != null && v6.length == 16 ? v6 : null;
    }

    /** {@link #parse(String, int, int)} of the whole string. */
    public static byte[] parse(String s) {
        return parse(s, 0, s.length());
    }

    /**
     * nginx's {@code ngx_parse_addr_port}: an address, {@code a.b.c.d:port} or
     * {@code [ipv6]:port} (port 1-65535); the port is checked and dropped.
     *
     * @return the address bytes, or null
     */
    public static byte[] parseWithPort(String s, int from, int to) {
        byte[] a = parse(s, from, to);
        if (a != null || from == to) {
            return a;
        }
        int colon;
        int addrFrom = from;
        int addrTo;
        if (s.charAt(from) == '[') {
            int close = s.indexOf(']', from);
            if (close < 0 || close >= to - 1 || s.charAt(close + 1) != ':') {
                return null;
            }
            colon = close + 1;
            addrFrom = from + 1;
            addrTo = close;
        } else {
            colon = s.indexOf(':', from);
            if (colon < 0 || colon >= to) {
                return null;
            }
            addrTo = colon;
        }
        int port = 0;
        for (int i = colon + 1; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9' || (port = port * 10 + (c - '0')) > 65535) {
                return null;
            }
        }
        return port < 1 ? null : parse(s, addrFrom, addrTo);
    }

    /** Whether 16 address bytes are an IPv4-mapped IPv6 address ({@code ::ffff:a.b.c.d}). */
    public static boolean isV4Mapped(byte[] a) {
        if (a.length != 16) {
            return false;
        }
        for (int i = 0; i < 10; i++) {
            if (a[i] != 0) {
                return false;
            }
        }
        return a[10] == (byte) 0xff && a[11] == (byte) 0xff;
    }

    /** The IPv4 address of 4 bytes or of an IPv4-mapped address, as unsigned 32 bits; else {@link #NONE}. */
    public static long ipv4(byte[] a) {
        int off;
        if (a.length == 4) {
            off = 0;
        } else if (isV4Mapped(a)) {
            off = 12;
        } else {
            return NONE;
        }
        return (a[off] & 0xffL) << 24 | (a[off + 1] & 0xffL) << 16 | (a[off + 2] & 0xffL) << 8 | a[off + 3] & 0xffL;
    }
}
