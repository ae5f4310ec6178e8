package io.tunnelgate.server;

import io.netty.channel.unix.Errors;
import java.net.BindException;

/** nginx's {@code (errno: strerror)} text for a failed bind, the same on every transport. */
final class BindErrors {
    private BindErrors() {
    }

    static String describe(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof Errors.NativeIoException n) {
                int errno = -n.expectedErr();
                return errno + ": " + text(errno, n.getMessage());
            }
            if (t instanceof BindException) {
                String m = String.valueOf(t.getMessage());
                if (m.contains("in use")) {
                    return "98: Address already in use";
                }
                if (m.contains("assign")) {
                    return "99: Cannot assign requested address";
                }
                if (m.contains("ermission")) {
                    return "13: Permission denied";
                }
                return "0: " + m;
            }
        }
        return "0: " + e;
    }

    private static String text(int errno, String fallback) {
        return switch (errno) {
            case 98 -> "Address already in use";
            case 99 -> "Cannot assign requested address";
            case 13 -> "Permission denied";
            case 97 -> "Address family not supported by protocol";
            default -> {
                // the native message is "bind(..) failed with error(-2): No such file or directory"
                int colon = fallback == null ? -1 : fallback.lastIndexOf(": ");
                yield colon < 0 ? String.valueOf(fallback) : fallback.substring(colon + 2);
            }
        };
    }
}
