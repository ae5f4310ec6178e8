package io.tunnelgate.http;

import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;

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
