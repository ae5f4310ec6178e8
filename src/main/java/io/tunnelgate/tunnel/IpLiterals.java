package io.tunnelgate.tunnel;

import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * IP literals in CONNECT targets and proxy_pass URLs, parsed by hand as nginx parses them: dotted-quad IPv4 with
 * decimal parts and optional leading zeros ({@code 127.0.0.01} is 127.0.0.1, never octal), and
 * bracketed IPv6. Nothing here ever resolves a name (the JDK's InetAddress parsing would, for
 * anything it does not take as a literal).
 */
public final class IpLiterals {
    private IpLiterals() {
    }

    /** Thrown for a bracketed host that is not a valid IPv6 address. */
    public static final class InvalidLiteralException extends Exception {
        private static final long serialVersionUID = 1L;

        InvalidLiteralException() {
            super("invalid IPv6 address", null, false, false);
        }
    }

    /**
     * @param host a host as in {@code $connect_host} (IPv6 in brackets)
     * @return the address, or null when the host is a name to resolve
     */
    public static InetAddress parse(String host) throws InvalidLiteralException {
        if (host.startsWith("[")) {
            if (!host.endsWith("]")) {
                throw new InvalidLiteralException();
            }
            byte[] b = NetUtil.createByteArrayFromIpAddressString(host.substring(1, host.length() - 1));
            if (b == null || b.length != 16) {
                throw new InvalidLiteralException();
            }
            return byAddress(b);
        }
        byte[] v4 = ipv4(host);
        return v4 == null ? null : byAddress(v4);
    }

    /** Four decimal parts 0-255, each one or more digits; null for any other shape. */
    static byte[] ipv4(String s) {
        byte[] out = new byte[4];
        int part = 0;
        int value = 0;
        int digits = 0;
        for (int i = 0; i <= s.length(); i++) {
            char c = i < s.length() ? s.charAt(i) : '.';
            if (c >= '0' && c <= '9') {
                value = value * 10 + (c - '0');
                digits++;
                if (value > 255) {
                    return null;
                }
            } else if (c == '.') {
                if (digits == 0 || part == 4) {
                    return null;
                }
                out[part++] = (byte) value;
                value = 0;
                digits = 0;
            } else {
                return null;
            }
        }
        return part == 4 ? out : null;
    }

    /** The address of four bytes from {@link #ipv4}. */
    static InetAddress parse4(byte[] v4) {
        return byAddress(v4);
    }

    private static InetAddress byAddress(byte[] b) {
        try {
            return InetAddress.getByAddress(b);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
