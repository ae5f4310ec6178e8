package io.tunnelgate.limit;

import io.tunnelgate.http.PreAccess.Verdict;
import io.tunnelgate.http.Request;
import io.tunnelgate.log.LogLevel;
import io.tunnelgate.script.ComplexValue;
import java.util.List;

/**
 * The {@code limit_req} directives of one level, checked as {@code ngx_http_limit_req_handler}
 * does: each zone's bucket is looked at in config order (empty keys skipped), the last one
 * accounts, and the earlier ones account after it; a bucket above its burst refuses the request;
 * otherwise the longest delay any zone asks for is waited.
 *
 * @param status {@code limit_req_status}
 * @param logLevel {@code limit_req_log_level}; delays are logged one level lower
 * @param dryRun {@code limit_req_dry_run}: account and log, but neither refuse nor delay
 */
record ReqLimiter(List<Limit> limits, int status, LogLevel logLevel, boolean dryRun) {
    /** nginx's longest key. */
    static final int MAX_KEY = 65535;

    /**
     * One {@code limit_req zone=name [burst=N] [nodelay | delay=N]}.
     *
     * @param burst in milli-requests
     * @param delay the excess (milli-requests) above which requests wait; huge for {@code nodelay}
     */
    record Limit(ComplexValue<Request> key, ReqZone zone, long burst, long delay) {
        /** nginx's {@code nodelay}: {@code NGX_MAX_INT_T_VALUE / 1000}, never reached. */
        static final long NO_DELAY = Long.MAX_VALUE / 1000;
    }

    /** The longest delay the request's zones ask for, with the excess and zone it comes from. */
    private record Wait(long millis, long excess, Limit limit) {
    }

    ReqLimiter {
        limits = List.copyOf(limits);
    }

    Verdict check(Request req, long now) {
        LimitState state = LimitState.of(req);
        if (state.reqStatus != null) {
            return Verdict.PROCEED;
        }
        ReqZone.Node[] held = new ReqZone.Node[limits.size()];
        ReqZone.Lookup found = null;
        Limit limit = null;
        int n = 0;
        for (; n < limits.size(); n++) {
            limit = limits.get(n);
            String key = key(req, limit);
            if (key == null) {
                continue;
            }
            found = limit.zone().lookup(key, limit.burst(), n == limits.size() - 1, now);
            if (found.rc() != ReqZone.Rc.AGAIN) {
                break;
            }
            held[n] = found.held();
        }
        if (found == null) {
            return Verdict.PROCEED;
        }
        if (found.rc() == ReqZone.Rc.BUSY || found.rc() == ReqZone.Rc.ERROR) {
            unlock(held, n);
            return refuse(req, state, found, limit);
        }
        long excess = found.rc() == ReqZone.Rc.AGAIN ? 0 : found.excess();
        return pass(req, state, account(held, n, new Wait(firstDelay(excess, limit), excess, limit), now));
    }

    /** The key's value, or null when it is empty (not limited) or too long (logged). */
    private static String key(Request req, Limit limit) {
        String key = limit.key().evaluate(req);
        if (key.isEmpty()) {
            return null;
        }
        if (key.length() > MAX_KEY) {
            req.log(LogLevel.ERROR, "the value of the \"" + limit.key().source() + "\" key is more than "
                    + MAX_KEY + " bytes: \"" + key + "\"");
            return null;
        }
        return key;
    }

    private Verdict refuse(Request req, LimitState state, ReqZone.Lookup found, Limit limit) {
        if (found.rc() == ReqZone.Rc.BUSY) {
            req.log(logLevel, "limiting requests" + (dryRun ? ", dry run" : "") + ", excess: "
                    + LeakyBucket.format(found.excess()) + " by zone \"" + limit.zone().name() + "\"");
        } else {
            req.log(LogLevel.ALERT, "could not allocate node in limit_req zone \"" + limit.zone().name() + "\"");
        }
        if (dryRun) {
            state.reqStatus = LimitStatus.REJECTED_DRY_RUN;
            return Verdict.PROCEED;
        }
        state.reqStatus = LimitStatus.REJECTED;
        return Verdict.reject(status);
    }

    private Verdict pass(Request req, LimitState state, Wait wait) {
        if (wait.millis() == 0) {
            state.reqStatus = LimitStatus.PASSED;
            return Verdict.PROCEED;
        }
        req.log(delayLogLevel(), "delaying request" + (dryRun ? ", dry run" : "") + ", excess: "
                + LeakyBucket.format(wait.excess()) + ", by zone \"" + wait.limit().zone().name() + "\"");
        if (dryRun) {
            state.reqStatus = LimitStatus.DELAYED_DRY_RUN;
            return Verdict.PROCEED;
        }
        state.reqStatus = LimitStatus.DELAYED;
        return Verdict.delay(wait.millis());
    }

    private static long firstDelay(long excess, Limit limit) {
        return LeakyBucket.delayMillis(excess, limit.delay(), limit.zone().rate());
    }

    /**
     * nginx's {@code ngx_http_limit_req_account}: the held entries of the zones before {@code n}
     * account the request now, last to first; the longest delay wins.
     */
    private Wait account(ReqZone.Node[] held, int n, Wait wait, long now) {
        for (int i = n - 1; i >= 0; i--) {
            if (held[i] == null) {
                continue;
            }
            Limit limit = limits.get(i);
            long excess = limit.zone().account(held[i], now);
            long millis = LeakyBucket.delayMillis(excess, limit.delay(), limit.zone().rate());
            if (millis > wait.millis()) {
                wait = new Wait(millis, excess, limit);
            }
        }
        return wait;
    }

    /** Lets go of the entries held for zones before {@code n} (nginx's {@code ngx_http_limit_req_unlock}). */
    private void unlock(ReqZone.Node[] held, int n) {
        for (int i = 0; i < n; i++) {
            if (held[i] != null) {
                limits.get(i).zone().unlock(held[i]);
            }
        }
    }

    /** nginx logs delays one level below refusals ({@code info} stays {@code info}). */
    private LogLevel delayLogLevel() {
        return logLevel == LogLevel.INFO ? LogLevel.INFO : LogLevel.values()[logLevel.ordinal() - 1];
    }
}
