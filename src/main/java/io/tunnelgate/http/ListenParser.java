package io.tunnelgate.http;

import io.tunnelgate.config.Args;
import io.tunnelgate.config.ConfigException;
import io.tunnelgate.config.ConfigNode;
import io.tunnelgate.config.Values;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses a {@code listen} directive as nginx does: {@code addr:port}, {@code addr} (port 80),
 * {@code port} or {@code *:port} (all IPv4 addresses), {@code [ipv6]:port}, a host name (resolved
 * once at load, every address it has), plus the socket parameters.
 */
final class ListenParser {
    private ListenParser() {
    }

    /** One ListenSpec per address the directive names (a host name may have several). */
    static List<ListenSpec> parse(ConfigNode node) throws ConfigException {
        String spec = node.arg(0);
        List<? extends SocketAddress> addresses = spec.startsWith("unix:") ? List.of(unix(node, spec))
                : addresses(node, spec);
        Params p = new Params();
        for (int i = 1; i < node.argCount(); i++) {
            p.apply(node, node.arg(i));
        }
        List<ListenSpec> out = new ArrayList<>();
        for (SocketAddress a : addresses) {
            out.add(new ListenSpec(a, p.defaultServer, p.backlog, p.reuseport, p.rcvbuf, p.sndbuf, p.keepalive,
                    p.ipv6only, p.bind, p.hasOptions, node.pos()));
        }
        return out;
    }

    private static UnixListenAddress unix(ConfigNode node, String spec) throws ConfigException {
        String path = spec.substring(5);
        if (path.isEmpty()) {
            throw Args.error(node, "no path in the unix domain socket \"" + spec + "\" of the \"listen\" directive");
        }
        return new UnixListenAddress(path);
    }

    private static List<InetSocketAddress> addresses(ConfigNode node, String spec) throws ConfigException {
        String host;
        String portText;
        if (spec.startsWith("[")) {
            int end = spec.indexOf(']');
            if (end < 0) {
                throw Args.error(node, "invalid host in \"" + spec + "\" of the \"listen\" directive");
            }
            host = spec.substring(1, end);
            String rest = spec.substring(end + 1);
            if (!rest.isEmpty() && !rest.startsWith(":")) {
                throw Args.error(node, "invalid host in \"" + spec + "\" of the \"listen\" directive");
            }
            portText = rest.isEmpty() ? "80" : rest.substring(1);
            return List.of(new InetSocketAddress(literal(node, spec, host), port(node, spec, portText)));
        }
        int colon = spec.lastIndexOf(':');
        if (colon < 0) {
            if (spec.chars().allMatch(Character::isDigit)) {
                return List.of(new InetSocketAddress(wildcard4(), port(node, spec, spec)));
            }
            host = spec;
            portText = "80";
        } else {
            host = spec.substring(0, colon);
            portText = spec.substring(colon + 1);
        }
        int port = port(node, spec, portText);
        if (host.equals("*")) {
            return List.of(new InetSocketAddress(wildcard4(), port));
        }
        List<InetSocketAddress> out = new ArrayList<>();
        try {
            // resolved once, on the loading thread, as nginx does at start-up
            for (InetAddress a : InetAddress.getAllByName(host)) {
                InetSocketAddress isa = new InetSocketAddress(a, port);
                if (!out.contains(isa)) {
                    out.add(isa);
                }
            }
        } catch (UnknownHostException e) {
            throw Args.error(node, "host not found in \"" + spec + "\" of the \"listen\" directive");
        }
        return out;
    }

    private static InetAddress literal(ConfigNode node, String spec, String host) throws ConfigException {
        if (host.isEmpty() || !host.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == ':' || c == '.')) {
            throw Args.error(node, "invalid host in \"" + spec + "\" of the \"listen\" directive");
        }
        try {
            return InetAddress.getByName("[" + host + "]");
        } catch (UnknownHostException e) {
            throw Args.error(node, "invalid host in \"" + spec + "\" of the \"listen\" directive");
        }
    }

    private static int port(ConfigNode node, String spec, String text) throws ConfigException {
        int port = TargetParser.parsePort(text);
        if (port <= 0) {
            throw Args.error(node, "invalid port in \"" + spec + "\" of the \"listen\" directive");
        }
        return port;
    }

    private static InetAddress wildcard4() {
        try {
            return InetAddress.getByAddress(new byte[4]);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    /** The listen parameters, collected before the specs are built. */
    private static final class Params {
        boolean defaultServer;
        int backlog = -1;
        boolean reuseport;
        int rcvbuf = -1;
        int sndbuf = -1;
        ListenSpec.KeepaliveSpec keepalive;
        boolean ipv6only = true;
        boolean bind;
        boolean hasOptions;

        void apply(ConfigNode node, String a) throws ConfigException {
            if (a.equals("default_server") || a.equals("default")) {
                defaultServer = true;
                return;
            }
            hasOptions = true;
            if (a.equals("bind")) {
                bind = true;
            } else if (a.equals("reuseport")) {
                reuseport = true;
                bind = true;
            } else if (a.startsWith("backlog=")) {
                backlog = Values.parseInt(a.substring(8));
                if (backlog <= 0) {
                    throw Args.error(node, "invalid backlog \"" + a.substring(8) + "\"");
                }
            } else if (a.startsWith("rcvbuf=")) {
                rcvbuf = size(node, "rcvbuf", a.substring(7));
            } else if (a.startsWith("sndbuf=")) {
                sndbuf = size(node, "sndbuf", a.substring(7));
            } else if (a.startsWith("ipv6only=")) {
                String v = a.substring(9);
                if (!v.equals("on") && !v.equals("off")) {
                    throw Args.error(node, "invalid ipv6only flags \"" + v + "\"");
                }
                ipv6only = v.equals("on");
                bind = true;
            } else if (a.startsWith("so_keepalive=")) {
                keepalive = keepalive(node, a.substring(13));
            } else if (a.equals("ssl") || a.equals("http2") || a.equals("quic") || a.equals("proxy_protocol")) {
                throw Args.error(node, "the \"" + a + "\" parameter of the \"listen\" directive is not supported yet");
            } else {
                throw Args.invalidParameter(node, a);
            }
        }

        private static int size(ConfigNode node, String name, String v) throws ConfigException {
            long n = Values.parseSize(v);
            if (n <= 0 || n > Integer.MAX_VALUE) {
                throw Args.error(node, "invalid " + name + " \"" + v + "\"");
            }
            return (int) n;
        }

        /** {@code on}, {@code off}, or {@code [keepidle]:[keepintvl]:[keepcnt]} (times in seconds). */
        private static ListenSpec.KeepaliveSpec keepalive(ConfigNode node, String v) throws ConfigException {
            if (v.equals("on")) {
                return new ListenSpec.KeepaliveSpec(true, -1, -1, -1);
            }
            if (v.equals("off")) {
                return new ListenSpec.KeepaliveSpec(false, -1, -1, -1);
            }
            String[] parts = v.split(":", -1);
            if (parts.length != 3) {
                throw Args.error(node, "invalid so_keepalive value: \"" + v + "\"");
            }
            int idle = parts[0].isEmpty() ? -1 : (int) Values.parseTimeSeconds(parts[0]);
            int intvl = parts[1].isEmpty() ? -1 : (int) Values.parseTimeSeconds(parts[1]);
            int cnt = parts[2].isEmpty() ? -1 : Values.parseInt(parts[2]);
            if (idle == 0 || intvl == 0 || cnt == 0 || idle < -1 || intvl < -1 || cnt < -1
                    || parts[0].isEmpty() && parts[1].isEmpty() && parts[2].isEmpty()) {
                throw Args.error(node, "invalid so_keepalive value: \"" + v + "\"");
            }
            return new ListenSpec.KeepaliveSpec(true, idle, intvl, cnt);
        }
    }
}
