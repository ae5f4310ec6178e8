package io.tunnelgate.tunnel;

import io.netty.channel.unix.Errors;
import java.net.BindException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;

/**
 * Turns a failed upstream connect or read (CONNECT and proxy_pass) into nginx's {@code (errno: strerror)} text, whichever transport
 * reported it (epoll gives errno values, NIO gives JDK exceptions).
 */
public final class ConnectErrors {
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
            if (m.contains("refused")) {
                return "111: Connection refused";
            }
            if (m.contains("unreachable")) {
                return "101: Network is unreachable";
            }
        }
        return "0: " + cause.getMessage();
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
