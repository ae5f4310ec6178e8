package io.tunnelgate.tunnel;

import io.netty.channel.unix.Errors;
import io.tunnelgate.http.ProxyError;
import io.tunnelgate.http.ProxyStatus;
import io.tunnelgate.resolve.ResolveException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a failed upstream connect or read (CONNECT and proxy_pass) into nginx's {@code (errno: strerror)} text, whichever transport
 * reported it (epoll and io_uring give errno values, NIO gives JDK exceptions), and a failed connect or lookup
 * into its RFC 9209 {@code Proxy-Status} error type.
 */
public final class ConnectErrors {
    /**
     * The errno in the message of a failed native connect: epoll says {@code connect(..)} or
     * {@code finishConnect(..)}, io_uring {@code io_uring connect(..)}, each followed by
     * {@code failed with error(-111): Connection refused}; only the errno and strerror count.
     */
    private static final Pattern NATIVE_CONNECT = Pattern.compile("failed with error\\(-(\\d+)\\): ?([^:]*)");

    private ConnectErrors() {
    }

    public static String describe(Throwable cause) {
        if (cause instanceof Errors.NativeIoException n) {
            int errno = -n.expectedErr();
            return errno + ": " + text(errno, n.getMessage());
        }
        if (cause instanceof BindException) {
            String m = String.valueOf(cause.getMessage());
            return m.contains("assign") ? "99: Cannot assign requested address"
                    : m.contains("in use") ? "98: Address already in use" : "0: " + m;
        }
        if (cause instanceof NoRouteToHostException) {
            return "113: No route to host";
        }
        if (cause instanceof ConnectException) {
            String m = String.valueOf(cause.getMessage());
            Matcher nativeError = NATIVE_CONNECT.matcher(m);
            if (nativeError.find()) {
                int errno = Integer.parseInt(nativeError.group(1));
                return errno + ": " + text(errno, ": " + nativeError.group(2));
            }
            if (m.contains("refused")) {
                return "111: Connection refused";
            }
            if (m.contains("unreachable")) {
                return "101: Network is unreachable";
            }
        }
        return "0: " + cause.getMessage();
    }

    /**
     * The {@code Proxy-Status} error type of a failed connect: refused, unreachable (no route),
     * reset, timed out; anything else is a local failure of the proxy.
     */
    public static ProxyError proxyError(Throwable cause) {
        String errno = describe(cause);
        return switch (errno.substring(0, errno.indexOf(':'))) {
            case "111" -> ProxyError.CONNECTION_REFUSED;
            case "101", "113" -> ProxyError.DESTINATION_IP_UNROUTABLE;
            case "104" -> ProxyError.CONNECTION_TERMINATED;
            case "110" -> ProxyError.CONNECTION_TIMEOUT;
            default -> ProxyError.PROXY_INTERNAL_ERROR;
        };
    }

    /**
     * The {@code Proxy-Status} of a failed lookup: {@code dns_timeout}, else {@code dns_error} with
     * the RCODE's name. nginx's "3: Host not found" also covers an answer without addresses, which
     * is reported as NXDOMAIN too.
     */
    public static ProxyStatus dnsStatus(Throwable cause, String details) {
        int code = cause instanceof ResolveException re ? re.code() : ResolveException.SERVER_FAILURE;
        if (code == ResolveException.TIMED_OUT) {
            return ProxyStatus.of(ProxyError.DNS_TIMEOUT, details);
        }
        String rcode = switch (code) {
            case ResolveException.FORMAT_ERROR -> "FORMERR";
            case ResolveException.SERVER_FAILURE -> "SERVFAIL";
            case ResolveException.HOST_NOT_FOUND -> "NXDOMAIN";
            case ResolveException.UNIMPLEMENTED -> "NOTIMP";
            case ResolveException.REFUSED -> "REFUSED";
            default -> null;
        };
        return new ProxyStatus(ProxyError.DNS_ERROR, rcode, details);
    }

    private static String text(int errno, String fallback) {
        return switch (errno) {
            case 111 -> "Connection refused";
            case 113 -> "No route to host";
            case 101 -> "Network is unreachable";
            case 110 -> "Connection timed out";
            case 104 -> "Connection reset by peer";
            case 99 -> "Cannot assign requested address";
            case 22 -> "Invalid argument";
            case 13 -> "Permission denied";
            default -> {
                int colon = fallback == null ? -1 : fallback.lastIndexOf(": ");
                yield colon < 0 ? String.valueOf(fallback) : fallback.substring(colon + 2);
            }
        };
    }
}
