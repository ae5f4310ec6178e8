package io.tunnelgate.forward;

import io.netty.handler.codec.http.HttpHeaders;
import io.tunnelgate.http.ModuleKey;
import java.util.ArrayList;
import java.util.List;

/**
 * What one proxied request did upstream, for the {@code $upstream_*} and {@code $proxy_*}
 * variables: one {@link Attempt} per upstream tried, in order (nginx joins their values with
 * {@code ", "}).
 */
final class ForwardState {
    static final ModuleKey<ForwardState> KEY = ModuleKey.create("proxy_pass");

    final String proxyHost;
    final int proxyPort;
    final List<Attempt> attempts = new ArrayList<>(1);
    /** The response head that was used (for {@code $upstream_http_NAME}), or null. */
    HttpHeaders responseHeaders;

    ForwardState(String proxyHost, int proxyPort) {
        this.proxyHost = proxyHost;
        this.proxyPort = proxyPort;
    }

    Attempt begin(String peer, long nowNanos) {
        Attempt a = new Attempt(peer, nowNanos);
        attempts.add(a);
        return a;
    }

    /** One try of one upstream; times are nanos, -1 until they happen. */
    static final class Attempt {
        final String peer;
        final long startNanos;
        long connectedNanos = -1;
        long headerNanos = -1;
        long endNanos = -1;
        /** The upstream's status, or 502/504 for a failed try, 0 until known. */
        int status;
        long bytesSent;
        long bytesReceived;

        Attempt(String peer, long startNanos) {
            this.peer = peer;
            this.startNanos = startNanos;
        }

        /** Ends the attempt with {@code status}, once; with the connection's byte counts when it had one. */
        void finish(int status, long nowNanos, ByteCounter counter) {
            if (endNanos >= 0) {
                return;
            }
            this.status = status;
            endNanos = nowNanos;
            if (counter != null) {
                bytesSent = counter.sent;
                bytesReceived = counter.received;
            }
        }
    }
}
