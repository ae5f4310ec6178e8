package io.tunnelgate.limit;

import io.tunnelgate.http.PreAccess.Verdict;
import io.tunnelgate.http.Request;
import io.tunnelgate.log.LogLevel;
import io.tunnelgate.script.ComplexValue;
import java.util.List;

/**
 * The {@code limit_conn} directives of one level, checked as {@code ngx_http_limit_conn_handler}
 * does: in config order, each key takes a slot of its zone; an empty key is not counted; the first
 * limit reached gives back the slots already taken and refuses the request. Slots are held until
 * the request ends: for a CONNECT, until its tunnel closes.
 *
 * @param status {@code limit_conn_status}
 * @param logLevel {@code limit_conn_log_level}
 * @param dryRun {@code limit_conn_dry_run}: count and log, but refuse nothing
 */
record ConnLimiter(List<Limit> limits, int status, LogLevel logLevel, boolean dryRun) {
    /** nginx refuses longer keys (they do not fit its one-byte length). */
    static final int MAX_KEY = 255;

    /** One {@code limit_conn zone number}. */
    record Limit(ComplexValue<Request> key, ConnZone zone, int conn) {
    }

    ConnLimiter {
        limits = List.copyOf(limits);
    }

    Verdict check(Request req) {
        LimitState state = LimitState.of(req);
        if (state.connStatus != null) {
            return Verdict.PROCEED;
        }
        for (Limit limit : limits) {
            String key = limit.key().evaluate(req);
            if (key.isEmpty()) {
                continue;
            }
            if (key.length() > MAX_KEY) {
                req.log(LogLevel.ERROR, "the value of the \"" + limit.key().source() + "\" key is more than "
                        + MAX_KEY + " bytes: \"" + key + "\"");
                continue;
            }
            state.connStatus = LimitStatus.PASSED;
            ConnZone.Outcome outcome = limit.zone().acquire(key, limit.conn());
            if (outcome != ConnZone.Outcome.TAKEN) {
                return refuse(req, state, limit.zone(), outcome);
            }
            state.hold(req, limit.zone(), key);
        }
        return Verdict.PROCEED;
    }

    private Verdict refuse(Request req, LimitState state, ConnZone zone, ConnZone.Outcome outcome) {
        if (outcome == ConnZone.Outcome.LIMITED) {
            req.log(logLevel, "limiting connections" + (dryRun ? ", dry run," : "") + " by zone \""
                    + zone.name() + "\"");
        } else {
            // nginx's slab allocator words this line
            req.log(LogLevel.CRIT, "ngx_slab_alloc() failed: no memory in limit_conn_zone \"" + zone.name() + "\"");
        }
        state.releaseAll();
        if (dryRun) {
            state.connStatus = LimitStatus.REJECTED_DRY_RUN;
            return Verdict.PROCEED;
        }
        state.connStatus = LimitStatus.REJECTED;
        return Verdict.reject(status);
    }
}
