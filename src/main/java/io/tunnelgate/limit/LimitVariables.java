package io.tunnelgate.limit;

import io.tunnelgate.http.Request;
import io.tunnelgate.script.VariableTable;

/**
 * {@code $limit_req_status} and {@code $limit_conn_status} (nginx 1.17.6+): what the limits
 * decided, not found ({@code -} in logs) until one decided something.
 */
public final class LimitVariables {
    private LimitVariables() {
    }

    public static void define(VariableTable<Request> t) {
        t.define("limit_req_status", r -> {
            LimitState s = r.get(LimitState.KEY);
            return s == null || s.reqStatus == null ? null : s.reqStatus.name();
        });
        t.define("limit_conn_status", r -> {
            LimitState s = r.get(LimitState.KEY);
            return s == null || s.connStatus == null ? null : s.connStatus.name();
        });
    }
}
