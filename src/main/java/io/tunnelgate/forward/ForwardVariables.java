package io.tunnelgate.forward;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import io.tunnelgate.http.Addresses;
import io.tunnelgate.http.HttpVariables;
import io.tunnelgate.http.Request;
import io.tunnelgate.script.VariableTable;
import java.net.InetSocketAddress;
import java.util.function.Function;

/**
 * The proxy module's variables: {@code $proxy_host}, {@code $proxy_port},
 * {@code $proxy_add_x_forwarded_for}, and the upstream module's {@code $upstream_*}, whose values
 * list every upstream tried, joined with {@code ", "} as nginx joins them. Not found ({@code -} in
 * logs) for a request that was not proxied.
 */
public final class ForwardVariables {
    private ForwardVariables() {
    }

    public static void define(VariableTable<Request> t) {
        t.define("proxy_host", r -> state(r) == null ? null : state(r).proxyHost)
                .define("proxy_port", r -> state(r) == null ? null : Integer.toString(state(r).proxyPort))
                .define("proxy_add_x_forwarded_for", ForwardVariables::forwardedFor)
                .define("upstream_addr", each(a -> a.peer))
                .define("upstream_status", each(a -> a.status == 0 ? "-" : Integer.toString(a.status)))
                .define("upstream_connect_time", each(a -> time(a.startNanos, a.connectedNanos)))
                .define("upstream_header_time", each(a -> time(a.startNanos, a.headerNanos)))
                .define("upstream_response_time", each(a -> time(a.startNanos, a.endNanos)))
                .define("upstream_bytes_sent", each(a -> Long.toString(a.bytesSent)))
                .define("upstream_bytes_received", each(a -> Long.toString(a.bytesReceived)))
                .definePrefix("upstream_http_", suffix -> {
                    AsciiString name = AsciiString.cached(HttpVariables.headerName(suffix));
                    return r -> {
                        ForwardState s = state(r);
                        HttpHeaders h = s == null ? null : s.responseHeaders;
                        return h == null ? null : h.get(name);
                    };
                });
    }

    /** nginx's name of a peer in {@code $upstream_addr}: {@code ip:port}, IPv6 in brackets. */
    static String peerName(InetSocketAddress peer) {
        return Addresses.text(peer);
    }

    /** The client's {@code X-Forwarded-For} with the client's address appended. */
    private static String forwardedFor(Request r) {
        String prior = r.headers().get("X-Forwarded-For");
        String self = r.connection().remoteIp();
        return prior == null || prior.isEmpty() ? self : prior + ", " + self;
    }

    private static io.tunnelgate.script.Getter<Request> each(Function<ForwardState.Attempt, String> part) {
        return r -> {
            ForwardState s = state(r);
            if (s == null || s.attempts.isEmpty()) {
                return null;
            }
            StringBuilder b = new StringBuilder();
            for (ForwardState.Attempt a : s.attempts) {
                if (b.length() > 0) {
                    b.append(", ");
                }
                b.append(part.apply(a));
            }
            return b.toString();
        };
    }

    /** Seconds with milliseconds from the attempt's start, {@code -} when it never got there. */
    private static String time(long from, long to) {
        return to < 0 ? "-" : HttpVariables.secondsDotMillis((to - from) / 1_000_000);
    }

    private static ForwardState state(Request r) {
        return r.get(ForwardState.KEY);
    }
}
