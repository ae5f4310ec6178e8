package io.tunnelgate.tunnel;

import io.netty.channel.unix.Errors;
import io.netty.util.NetUtil;
import io.tunnelgate.config.Values;
import io.tunnelgate.http.Request;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/**
 * Local addresses for {@code proxy_connect_bind}, in the forms the module accepts: an IPv4 or IPv6
 * literal (any port), {@code ip:port} or {@code [ipv6]:port}. Never a name.
 */
final class BindAddresses {
    private BindAddresses() {
    }

    /**
     * The local address of {@code proxy_connect_bind} for a request: fixed, or evaluated now
     * (empty: none; a value that is no address: none, and an error-log line, as the module does).
     */
    static InetSocketAddress local(Request req, BindSpec bind) {
        if (bind == null) {
            return null;
        }
        if (bind.fixed() != null) {
            return bind.fixed();
        }
        String v = bind.value().evaluate(req);
        if (v.isEmpty()) {
            return null;
        }
        InetSocketAddress a = parse(v);
        if (a == null) {
            ConnectHandler.error(req, "proxy_connect: invalid local address \"" + v + "\"");
        }
        return a;
    }

    /**
     * The error of a connect that failed in its bind, or null: epoll reports "bind(..)", NIO a
     * BindException that Netty wraps with the peer's address.
     */
    static Throwable bindFailure(Throwable cause) {
        if (cause instanceof Errors.NativeIoException && String.valueOf(cause.getMessage()).startsWith("bind(")) {
            return cause;
        }
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof BindException) {
                return t;
            }
        }
        return null;
    }

    /** @return the address, or null when the value is none of the accepted forms */
    static InetSocketAddress parse(String v) {
        InetAddress literal = literal(v);
        if (literal != null) {
            return new InetSocketAddress(literal, 0);
        }
        String host;
        String portText;
        if (v.startsWith("[")) {
            int end = v.indexOf(']');
            if (end < 0 || end + 1 >= v.length() || v.charAt(end + 1) != ':') {
                return null;
            }
            host = v.substring(1, end);
            portText = v.substring(end + 2);
        } else {
            int colon = v.indexOf(':');
            if (colon < 0) {
                return null;
            }
            host = v.substring(0, colon);
            portText = v.substring(colon + 1);
        }
        int port = Values.parseInt(portText);
        InetAddress address = literal(host);
        if (port < 1 || port > 65535 || address == null) {
            return null;
        }
        return new InetSocketAddress(address, port);
    }

    private static InetAddress literal(String s) {
        if (s.startsWith("[")) {
            // nginx takes brackets only with a port ("[::1]:80"); Netty's parser would accept "[::1]"
            return null;
        }
        byte[] v4 = IpLiterals.ipv4(s);
        if (v4 != null) {
            return IpLiterals.parse4(v4);
        }
        byte[] v6 = s.indexOf(':') >= 0 ? NetUtil.createByteArrayFromIpAddressString(s) : null;
        if (v6 == null || v6.length != 16) {
            return null;
        }
        try {
            return InetAddress.getByAddress(v6);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
