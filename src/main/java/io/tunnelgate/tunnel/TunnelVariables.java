package io.tunnelgate.tunnel;

import io.tunnelgate.http.HttpVariables;
import io.tunnelgate.http.Request;
import io.tunnelgate.script.Getter;
import io.tunnelgate.script.VariableTable;
import java.util.function.Function;

/**
 * The module's variables (spec §2). On a request that is not a CONNECT every one of them except
 * {@code $connect_addr} is found but empty (logged as nothing); on a CONNECT that never got the
 * module's context (refused before post-read) they are not found ({@code -}); times are not found
 * until the step they measure has happened.
 */
public final class TunnelVariables {
    private TunnelVariables() {
    }

    public static void define(VariableTable<Request> t) {
        t.define("connect_addr", r -> {
            ConnectContext c = r.get(ConnectContext.KEY);
            return c == null ? null : c.connectAddr;
        });
        t.define("proxy_connect_resolve_time", withContext(c -> time(c, c.handlerStartNanos, c.resolveDoneNanos)));
        t.define("proxy_connect_connect_time", withContext(c -> time(c, c.connectStartNanos, c.connectedNanos)));
        t.define("proxy_connect_first_byte_time",
                withContext(c -> time(c, c.connectStartNanos, c.firstByteNanos)));
        t.define("proxy_connect_connect_timeout", withContext(c -> Long.toString(c.connectTimeoutMillis)));
        t.define("proxy_connect_data_timeout", withContext(c -> Long.toString(c.dataTimeoutMillis)));
        t.define("proxy_connect_read_timeout", withContext(c -> Long.toString(c.dataTimeoutMillis)));
        t.define("proxy_connect_send_timeout", withContext(c -> Long.toString(c.sendTimeoutMillis)));
        t.define("proxy_connect_response", withContext(c -> c.response));
    }

    /** A getter reading the context: "" for non-CONNECT requests, not found for CONNECT without one. */
    private static Getter<Request> withContext(Function<ConnectContext, String> read) {
        return r -> {
            ConnectContext c = r.get(ConnectContext.KEY);
            if (c == null) {
                return r.isConnect() ? null : "";
            }
            return read.apply(c);
        };
    }

    /** {@code S.mmm} between two instants, or not found if the step did not happen. */
    private static String time(ConnectContext c, long from, long to) {
        if (!c.upstreamStarted || from < 0 || to < 0) {
            return null;
        }
        return HttpVariables.secondsDotMillis((to - from) / 1_000_000);
    }
}
