package io.tunnelgate.limit;

/**
 * The arithmetic of nginx's {@code limit_req}, in nginx's units: an excess in milli-requests, a
 * rate in milli-requests per second ({@code 1r/s} is 1000, {@code 1r/m} is {@code 1000 / 60 = 16},
 * rounded down as nginx does), times in milliseconds. Pure functions, so that the bucket can be
 * checked against hand-computed values.
 */
final class LeakyBucket {
    /** One request, in milli-requests. */
    static final long ONE = 1000;
    /** nginx's threshold of an entry's idleness before it may expire (and of a clock jump back). */
    static final long MINUTE_MILLIS = 60_000;
    /** {@code last} of an entry that was never accounted (nginx's {@code lr->last = 0}): long ago. */
    static final long NEVER = Long.MIN_VALUE;

    private LeakyBucket() {
    }

    /** {@code ctx->rate = rate * 1000 / scale}: {@code perMinute} means {@code r/m}. */
    static long rate(long requests, boolean perMinute) {
        return requests * ONE / (perMinute ? 60 : 1);
    }

    /**
     * Milliseconds since {@code last}, as nginx clamps them: a jump back of more than a minute
     * counts as 1 ms, a smaller one as 0; a never-accounted entry is long drained.
     */
    static long elapsed(long now, long last) {
        if (last == NEVER) {
            return Long.MAX_VALUE / 2;
        }
        long ms = now - last;
        if (ms < -MINUTE_MILLIS) {
            return 1;
        }
        return Math.max(ms, 0);
    }

    /** {@code ctx->rate * ms / 1000}: what leaked out in {@code ms}, saturating instead of overflowing. */
    static long leaked(long rate, long ms) {
        if (ms != 0 && rate > Long.MAX_VALUE / ms) {
            return Long.MAX_VALUE;
        }
        return rate * ms / ONE;
    }

    /**
     * The excess after one more request: {@code excess = lr->excess - ctx->rate * ms / 1000 + 1000},
     * and never below 0.
     */
    static long excess(long previous, long rate, long ms) {
        return Math.max(0, previous - leaked(rate, ms) + ONE);
    }

    /**
     * How long a request with {@code excess} waits: {@code (excess - delay) * 1000 / rate} when
     * the excess is above the {@code delay} threshold, else 0 (all in milli-requests).
     */
    static long delayMillis(long excess, long delay, long rate) {
        return excess <= delay ? 0 : (excess - delay) * ONE / rate;
    }

    /** Whether an idle entry may go: idle at least a minute and drained (nginx's expire). */
    static boolean expired(long now, long last, long excess, long rate) {
        long ms = last == NEVER ? Long.MAX_VALUE / 2 : Math.abs(now - last);
        return ms >= MINUTE_MILLIS && excess - leaked(rate, ms) <= 0;
    }

    /** nginx's {@code %ui.%03ui} of an excess: {@code 1.000}, {@code 0.016}. */
    static String format(long excess) {
        long frac = excess % ONE;
        return (excess / ONE) + (frac < 10 ? ".00" : frac < 100 ? ".0" : ".") + frac;
    }
}
