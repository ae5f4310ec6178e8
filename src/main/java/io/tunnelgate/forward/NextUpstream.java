package io.tunnelgate.forward;

import java.util.Set;

/**
 * {@code proxy_next_upstream}, {@code proxy_next_upstream_tries} and
 * {@code proxy_next_upstream_timeout}: when a failed attempt is retried on another peer.
 *
 * @param on the conditions that pass a request on (empty: {@code off})
 * @param tries most attempts in all (0: no limit)
 * @param timeoutMillis how long after the first attempt a next one may start (0: no limit)
 */
record NextUpstream(Set<Condition> on, int tries, long timeoutMillis) {
    static final NextUpstream DEFAULT = new NextUpstream(Set.of(Condition.ERROR, Condition.TIMEOUT), 0, 0);

    NextUpstream {
        on = Set.copyOf(on);
    }

    /**
     * nginx's rules for passing a request to the next upstream: the condition is configured, no
     * body byte has gone (it is not kept, so it cannot be sent again), a request that may have
     * reached the upstream is idempotent unless {@code non_idempotent} is given, and the tries and
     * time left allow it.
     *
     * @param maybeProcessed the request (head) went to the upstream
     * @param triesSoFar attempts made, this one included
     * @param elapsedNanos time since the first attempt
     */
    boolean allows(Condition why, boolean maybeProcessed, boolean idempotent, boolean bodySent, int triesSoFar,
                   long elapsedNanos) {
        return on.contains(why) && !bodySent
                && (!maybeProcessed || idempotent || on.contains(Condition.NON_IDEMPOTENT))
                && (tries == 0 || triesSoFar < tries)
                && (timeoutMillis == 0 || elapsedNanos < timeoutMillis * 1_000_000L);
    }

    /** nginx's conditions, by their directive names. */
    enum Condition {
        ERROR("error", 0), TIMEOUT("timeout", 0), INVALID_HEADER("invalid_header", 0), HTTP_500("http_500", 500),
        HTTP_502("http_502", 502), HTTP_503("http_503", 503), HTTP_504("http_504", 504), HTTP_403("http_403", 403),
        HTTP_404("http_404", 404), HTTP_429("http_429", 429), NON_IDEMPOTENT("non_idempotent", 0);

        private static final Condition[] ALL = values();

        final String word;
        /** The upstream status this condition names, or 0. */
        private final int status;

        Condition(String word, int status) {
            this.word = word;
            this.status = status;
        }

        /** The condition for an upstream status, or null when no condition names it (asked per response). */
        static Condition forStatus(int status) {
            for (Condition c : ALL) {
                if (c.status == status) {
                    return c;
                }
            }
            return null;
        }
    }
}
