package io.tunnelgate.http;

import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import java.util.concurrent.TimeUnit;

/** nginx's keep-alive rules. */
final class KeepAlive {
    private KeepAlive() {
    }

    /**
     * Whether a request asks for keep-alive: HTTP/1.1 unless {@code Connection: close}, HTTP/1.0
     * only with {@code Connection: keep-alive}, and never when keepalive_timeout is 0.
     */
    static boolean requested(HttpRequest head, ClientLimits limits) {
        return limits.keepaliveTimeoutMillis() > 0 && HttpUtil.isKeepAlive(head);
    }

    /**
     * nginx's {@code keepalive_requests} and {@code keepalive_time}, read with the limits of the
     * level serving the request: the request numbered {@code keepalive_requests} on its
     * connection, or one that starts once the connection is older than {@code keepalive_time}, is
     * answered with {@code Connection: close} and the connection closes after it.
     */
    static void applyLimits(Request req) {
        if (!req.keepAlive()) {
            return;
        }
        RequestLimits limits = req.level().limits();
        ClientConnection conn = req.connection();
        long ageNanos = conn.services().nanoTime().getAsLong() - conn.startNanos();
        if (conn.requests() >= limits.keepaliveRequests()
                || ageNanos > TimeUnit.MILLISECONDS.toNanos(limits.keepaliveTimeMillis())) {
            req.keepAlive(false);
        }
    }

    /** Whether answering {@code status} closes the connection even if keep-alive was requested. */
    static boolean closesAnyway(int status) {
        return switch (status) {
            case 400, 413, 414, 494, 500, 501 -> true;
            default -> false;
        };
    }

    /** Whether the connection closes after answering {@code req} with {@code status}. */
    static boolean closes(Request req, int status) {
        return !req.keepAlive() || closesAnyway(status);
    }
}
