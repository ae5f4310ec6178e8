package io.tunnelgate.resolve;

import io.netty.util.NetUtil;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Parser for the arguments of the {@code resolver} directive, mirroring nginx's
 * {@code ngx_resolver_create()} and {@code ngx_parse_url()}, error texts included.
 */
final class ResolverArgs {

    /** Config-time host name lookup; injectable so tests never touch the system resolver. */
    @FunctionalInterface
    interface HostLookup {
        InetAddress[] lookup(String host) throws UnknownHostException;
    }

    private static final int DNS_PORT = 53;

    private ResolverArgs() {
    }

    static ResolverSpec parse(List<String> args, Duration timeout, HostLookup hosts) {
        if (args.size() == 1 && args.get(0).equals("system")) {
            return ResolverSpec.system(timeout);
        }
        List<InetSocketAddress> servers = new ArrayList<>();
        Duration valid = null;
        boolean ipv4 = true;
        boolean ipv6 = true;
        for (String arg : args) {
            if (arg.startsWith("valid=")) {
                long seconds = NginxTime.parseSeconds(arg.substring(6));
                if (seconds < 0) {
                    throw invalidParameter(arg);
                }
                valid = Duration.ofSeconds(seconds);
            } else if (arg.startsWith("ipv4=")) {
                ipv4 = onOff(arg);
            } else if (arg.startsWith("ipv6=")) {
                ipv6 = onOff(arg);
            } else if (!arg.startsWith("status_zone=")) {
                // status_zone= is nginx Plus' metrics zone: accepted so such configs load, nothing to do here.
                servers.addAll(server(arg, hosts));
            }
        }
        // Same order of checks as nginx: the family check comes before the server count.
        if (!ipv4 && !ipv6) {
            throw new IllegalArgumentException("\"ipv4\" and \"ipv6\" cannot both be \"off\"");
        }
        if (servers.isEmpty()) {
            throw new IllegalArgumentException("no name servers defined");
        }
        return new ResolverSpec(servers, false, valid, ipv4, ipv6, timeout);
    }

    private static boolean onOff(String arg) {
        String value = arg.substring(5);
        if (value.equals("on")) {
            return true;
        }
        if (value.equals("off")) {
            return false;
        }
        throw invalidParameter(arg);
    }

    private static IllegalArgumentException invalidParameter(String arg) {
        // nginx: ngx_conf_log_error(..., "invalid parameter: %V", &names[i])
        return new IllegalArgumentException("invalid parameter: " + arg);
    }

    private static IllegalArgumentException urlError(String err, String arg) {
        return new IllegalArgumentException(err + " in resolver \"" + arg + "\"");
    }

    /** One address argument: {@code ip}, {@code ip:port}, {@code [ipv6]}, {@code [ipv6]:port} or a host name. */
    private static List<InetSocketAddress> server(String arg, HostLookup hosts) {
        if (arg.startsWith("[")) {
            return List.of(bracketed(arg));
        }
        if (arg.indexOf('/') >= 0 || arg.indexOf('?') >= 0) {
            throw urlError("invalid host", arg);
        }
        int colon = arg.indexOf(':');
        int port = colon < 0 ? DNS_PORT : port(arg.substring(colon + 1), arg);
        String host = colon < 0 ? arg : arg.substring(0, colon);
        if (host.isEmpty()) {
            throw urlError("no host", arg);
        }
        Inet4Address literal = ipv4Literal(host);
        if (literal != null) {
            return List.of(new InetSocketAddress(literal, port));
        }
        return lookup(host, port, arg, hosts);
    }

    private static InetSocketAddress bracketed(String arg) {
        int close = arg.indexOf(']');
        if (close < 0) {
            throw urlError("invalid host", arg);
        }
        String rest = arg.substring(close + 1);
        if (rest.indexOf('/') >= 0 || !rest.isEmpty() && rest.charAt(0) != ':') {
            throw urlError("invalid host", arg);
        }
        int port = rest.isEmpty() ? DNS_PORT : port(rest.substring(1), arg);
        String host = arg.substring(1, close);
        if (host.isEmpty()) {
            throw urlError("no host", arg);
        }
        byte[] bytes = NetUtil.isValidIpV6Address(host) && host.indexOf('%') < 0
                ? NetUtil.createByteArrayFromIpAddressString(host) : null;
        if (bytes == null) {
            throw urlError("invalid IPv6 address", arg);
        }
        try {
            return new InetSocketAddress(InetAddress.getByAddress(bytes), port);
        } catch (UnknownHostException e) {
            throw urlError("invalid IPv6 address", arg);
        }
    }

    /** nginx's {@code ngx_atoi} plus the 1..65535 range check. */
    private static int port(String text, String arg) {
        if (text.isEmpty() || text.length() > 5 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw urlError("invalid port", arg);
        }
        int port = Integer.parseInt(text);
        if (port < 1 || port > 65535) {
            throw urlError("invalid port", arg);
        }
        return port;
    }

    private static List<InetSocketAddress> lookup(String host, int port, String arg, HostLookup hosts) {
        InetAddress[] found;
        try {
            found = hosts.lookup(host);
        } catch (UnknownHostException | SecurityException e) {
            throw urlError("host not found", arg);
        }
        if (found == null || found.length == 0) {
            throw urlError("host not found", arg);
        }
        // nginx adds the IPv4 results of getaddrinfo() before the IPv6 ones; every address is a server.
        return List.of(found).stream()
                .sorted(Comparator.comparingInt(a -> a instanceof Inet4Address ? 0 : 1))
                .map(a -> new InetSocketAddress(a, port))
                .toList();
    }

    /**
     * A dotted-quad IPv4 literal read as nginx does: four decimal parts 0-255, leading zeros allowed and
     * never octal ({@code 127.0.0.01} is 127.0.0.1). The JDK rejects or re-reads such text, so it is
     * parsed here. Returns null for anything else.
     */
    static Inet4Address ipv4Literal(String text) {
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            return null;
        }
        byte[] bytes = new byte[4];
        for (int i = 0; i < 4; i++) {
            String part = parts[i];
            if (part.isEmpty() || part.length() > 3 + countLeadingZeros(part)
                    || !part.chars().allMatch(c -> c >= '0' && c <= '9')) {
                return null;
            }
            int value = Integer.parseInt(part);
            if (value > 255) {
                return null;
            }
            bytes[i] = (byte) value;
        }
        try {
            return (Inet4Address) InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("4 bytes are always a valid IPv4 address", e);
        }
    }

    private static int countLeadingZeros(String part) {
        int n = 0;
        while (n < part.length() - 1 && part.charAt(n) == '0') {
            n++;
        }
        return n;
    }
}
