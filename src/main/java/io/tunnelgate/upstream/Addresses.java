package io.tunnelgate.upstream;

import io.tunnelgate.access.IpAddresses;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The address of a {@code server} line read as nginx's {@code ngx_parse_url} reads it
 * ({@code host[:port]}, IPv4, {@code [IPv6][:port]}, port 80 by default), and host resolution at
 * load. Errors carry nginx's short reason ({@code invalid port}, {@code host not found}); the
 * caller adds {@code in upstream "..."}.
 */
final class Addresses {
    static final int DEFAULT_PORT = 80;

    /** A parse or resolution failure with nginx's reason text. */
    static final class BadAddress extends Exception {
        private static final long serialVersionUID = 1L;

        BadAddress(String reason) {
            super(reason, null, false, false);
        }
    }

    private Addresses() {
    }

    /** Every address a {@code server} argument stands for. */
    static List<InetSocketAddress> parse(String url, HostLookup lookup) throws BadAddress {
        if (url.length() >= 5 && url.substring(0, 5).toLowerCase(Locale.ROOT).equals("unix:")) {
            throw new BadAddress("unix domain sockets are not supported by Tunnelgate");
        }
        if (url.startsWith("[")) {
            return List.of(bracketed(url));
        }
        if (url.indexOf('/') >= 0 || url.indexOf('?') >= 0) {
            throw new BadAddress("invalid host");
        }
        int colon = url.indexOf(':');
        int port = colon < 0 ? DEFAULT_PORT : port(url.substring(colon + 1));
        String host = colon < 0 ? url : url.substring(0, colon);
        if (host.isEmpty()) {
            throw new BadAddress("no host");
        }
        return resolve(host, port, lookup);
    }

    /**
     * The addresses of a host (an IP literal, with or without brackets for IPv6, or a name resolved
     * with {@code lookup}), all with {@code port}; nginx's order (the resolver's) is kept.
     */
    static List<InetSocketAddress> resolve(String host, int port, HostLookup lookup) throws BadAddress {
        byte[] literal = literal(host);
        if (literal != null) {
            return List.of(new InetSocketAddress(byAddress(literal), port));
        }
        InetAddress[] found;
        try {
            found = lookup.lookup(host);
        } catch (UnknownHostException | SecurityException e) {
            throw new BadAddress("host not found");
        }
        if (found == null || found.length == 0) {
            throw new BadAddress("host not found");
        }
        List<InetSocketAddress> out = new ArrayList<>(found.length);
        for (InetAddress a : found) {
            out.add(new InetSocketAddress(a, port));
        }
        return out;
    }

    private static InetSocketAddress bracketed(String url) throws BadAddress {
        int close = url.indexOf(']');
        if (close < 0) {
            throw new BadAddress("invalid host");
        }
        String rest = url.substring(close + 1);
        if (rest.indexOf('/') >= 0 || !rest.isEmpty() && rest.charAt(0) != ':') {
            throw new BadAddress("invalid host");
        }
        int port = rest.isEmpty() ? DEFAULT_PORT : port(rest.substring(1));
        String host = url.substring(1, close);
        if (host.isEmpty()) {
            throw new BadAddress("no host");
        }
        byte[] v6 = IpAddresses.parse(host);
        if (v6 == null || v6.length != 16) {
            throw new BadAddress("invalid IPv6 address");
        }
        return new InetSocketAddress(byAddress(v6), port);
    }

    /** nginx's ngx_atoi plus the 1..65535 check. */
    private static int port(String text) throws BadAddress {
        if (text.isEmpty() || text.length() > 5 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new BadAddress("invalid port");
        }
        int port = Integer.parseInt(text);
        if (port < 1 || port > 65535) {
            throw new BadAddress("invalid port");
        }
        return port;
    }

    /** An IPv4 literal as ngx_inet_addr reads it, or an IPv6 one (brackets optional); else null. */
    private static byte[] literal(String host) {
        String inner = host.length() > 2 && host.startsWith("[") && host.endsWith("]")
                ? host.substring(1, host.length() - 1) : host;
        long v4 = IpAddresses.inetAddr(inner, 0, inner.length());
        if (v4 != IpAddresses.NONE) {
            return new byte[] {(byte) (v4 >>> 24), (byte) (v4 >>> 16), (byte) (v4 >>> 8), (byte) v4};
        }
        byte[] any = inner.indexOf(':') >= 0 ? IpAddresses.parse(inner) : null;
        return any != null && any.length == 16 ? any : null;
    }

    private static InetAddress byAddress(byte[] raw) {
        try {
            return InetAddress.getByAddress(raw);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("4 or 16 bytes are always an address", e);
        }
    }
}
