package io.tunnelgate.tunnel;

import io.tunnelgate.http.HttpVariables;
import io.tunnelgate.http.Request;
import io.tunnelgate.script.Getter;
import io.tunnelgate.script.VariableTable;
import io.tunnelgate.config.Values;
import io.tunnelgate.log.LogLevel;
import io.tunnelgate.script.Setter;
import java.util.function.Function;
import java.util.function.ObjLongConsumer;

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
        t.defineSettable("proxy_connect_connect_timeout", withContext(c -> Long.toString(c.connectTimeoutMillis)),
                timeout(CONNECT_TIMEOUT_OFFSET, (c, ms) -> c.connectTimeoutMillis = ms));
        t.defineSettable("proxy_connect_data_timeout", withContext(c -> Long.toString(c.dataTimeoutMillis)),
                timeout(DATA_TIMEOUT_OFFSET, (c, ms) -> c.dataTimeoutMillis = ms));
        t.defineSettable("proxy_connect_read_timeout", withContext(c -> Long.toString(c.dataTimeoutMillis)),
                timeout(DATA_TIMEOUT_OFFSET, (c, ms) -> c.dataTimeoutMillis = ms));
        t.defineSettable("proxy_connect_send_timeout", withContext(c -> Long.toString(c.sendTimeoutMillis)),
                timeout(SEND_TIMEOUT_OFFSET, (c, ms) -> c.sendTimeoutMillis = ms));
        t.defineSettable("proxy_connect_response", withContext(c -> c.response), (r, value) -> {
            ConnectContext c = r.get(ConnectContext.KEY);
            if (r.isConnect() && c != null) {
                c.response = value;
            }
        });
    }

    /*
     * The module names the field a bad value was meant for by its offset in its C context struct
     * (the pointer, two flags and a 80-byte buffer come first on x86_64); the log line keeps it.
     */
    private static final int CONNECT_TIMEOUT_OFFSET = 104;
    private static final int SEND_TIMEOUT_OFFSET = 112;
    private static final int DATA_TIMEOUT_OFFSET = 120;

    /**
     * The setter of a timeout variable: nginx time syntax (a bare number is seconds); a bad value
     * leaves the timeout as it was and logs the module's {@code invalid msec} line; ignored for
     * requests that are not CONNECT.
     */
    private static Setter<Request> timeout(int offset, ObjLongConsumer<ConnectContext> store) {
        return (r, value) -> {
            if (!r.isConnect()) {
                return;
            }
            long ms = Values.parseTimeMillis(value);
            if (ms < 0) {
                r.log(LogLevel.ERROR, "proxy_connect: invalid msec \"" + value + "\" (ctx offset=" + offset + ")");
                return;
            }
            ConnectContext c = r.get(ConnectContext.KEY);
            if (c != null) {
                store.accept(c, ms);
            }
        };
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
