package io.tunnelgate.tunnel;

import java.net.InetAddress;

/**
 * Where a CONNECT goes, parsed from {@code proxy_connect_address} or the request-line host the way
 * nginx's URL parser does it for the module ({@code host}, {@code host:port}, IPv4, {@code [IPv6]},
 * {@code [IPv6]:port}): either an address to dial, or a name to resolve.
 *
 * @param literal the address when the host is an IP literal, else null
 * @param name the name to resolve when it is not a literal
 */
record TargetSpec(InetAddress literal, String name, int port) {
    /** A value nginx's parser refuses, with its reason ("invalid port", "no host" ...). */
    static final class InvalidTarget extends Exception {
        private static final long serialVersionUID = 1L;

        InvalidTarget(String reason) {
            super(reason, null, false, false);
        }
    }

    /**
     * Parses a target.
     *
     * @param defaultPort the CONNECT port, used when the value names none
     */
    static TargetSpec parse(String value, int defaultPort) throws InvalidTarget {
        if (value.startsWith("[")) {
            return parseIpv6(value, defaultPort);
        }
        if (value.indexOf('/') >= 0 || value.indexOf('?') >= 0) {
            throw new InvalidTarget("invalid host");
        }
        int colon = value.indexOf(':');
        String host = colon < 0 ? value : value.substring(0, colon);
        int port = colon < 0 ? defaultPort : port(value.substring(colon + 1));
        if (host.isEmpty()) {
            throw new InvalidTarget("no host");
        }
        byte[] v4 = IpLiterals.ipv4(host);
        if (v4 != null) {
            return new TargetSpec(IpLiterals.parse4(v4), null, port);
        }
        return new TargetSpec(null, host, port);
    }

    /**
     * {@code [ipv6]} or {@code [ipv6]:port}, checked in the order of nginx's parser: the bracket and
     * what follows it, then the port, then the address ("no host" when empty).
     */
    private static TargetSpec parseIpv6(String value, int defaultPort) throws InvalidTarget {
        int end = value.indexOf(']');
        if (end < 0) {
            throw new InvalidTarget("invalid host");
        }
        String rest = value.substring(end + 1);
        if (rest.indexOf('/') >= 0 || !rest.isEmpty() && !rest.startsWith(":")) {
            throw new InvalidTarget("invalid host");
        }
        int port = rest.isEmpty() ? defaultPort : port(rest.substring(1));
        if (end == 1) {
            throw new InvalidTarget("no host");
        }
        try {
            return new TargetSpec(IpLiterals.parse(value.substring(0, end + 1)), null, port);
        } catch (IpLiterals.InvalidLiteralException e) {
            throw new InvalidTarget("invalid IPv6 address");
        }
    }

    private static int port(String text) throws InvalidTarget {
        int port = io.tunnelgate.config.Values.parseInt(text);
        if (port < 1 || port > 65535) {
            throw new InvalidTarget("invalid port");
        }
        return port;
    }
}
