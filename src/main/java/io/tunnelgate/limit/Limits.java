package io.tunnelgate.limit;

import io.tunnelgate.http.PreAccess;
import io.tunnelgate.http.Request;

/**
 * The pre-access phase of one level: {@code limit_req}, then {@code limit_conn}. nginx runs its
 * phase handlers in the reverse order of the modules' registration, and limit_req registers after
 * limit_conn: so a request that waits in limit_req's delay holds no limit_conn slot meanwhile.
 *
 * @param req the level's limit_req directives, or null
 * @param conn the level's limit_conn directives, or null
 */
record Limits(ReqLimiter req, ConnLimiter conn) implements PreAccess {
    @Override
    public Verdict check(Request r) {
        if (req != null) {
            long now = Math.floorDiv(r.connection().services().nanoTime().getAsLong(), 1_000_000L);
            Verdict v = req.check(r, now);
            if (v != Verdict.PROCEED) {
                return v;
            }
        }
        return conn == null ? Verdict.PROCEED : conn.check(r);
    }
}
