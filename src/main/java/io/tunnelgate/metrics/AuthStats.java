package io.tunnelgate.metrics;

import java.util.concurrent.atomic.LongAdder;

/**
 * Process-wide counters of proxy authentication, kept where a metrics endpoint can read them
 * ({@code Services.authStats()}). LongAdders, because many event loops and the verification pool
 * count at once and nobody reads often.
 */
public final class AuthStats {
    private final LongAdder successes = new LongAdder();
    private final LongAdder failures = new LongAdder();
    private final LongAdder cacheHits = new LongAdder();
    private final LongAdder missing = new LongAdder();
    private final LongAdder rejected = new LongAdder();

    /** Credentials that were accepted (cache hits included). */
    public long successes() {
        return successes.sum();
    }

    /** Credentials that were refused: unknown user or wrong password. */
    public long failures() {
        return failures.sum();
    }

    /** Accepted credentials that needed no hash computation because they were verified recently. */
    public long cacheHits() {
        return cacheHits.sum();
    }

    /** Requests without usable credentials (the first leg of a client's challenge-response). */
    public long missing() {
        return missing.sum();
    }

    /** Verifications refused with 503 because the verification pool's queue was full. */
    public long rejected() {
        return rejected.sum();
    }

    public void success() {
        successes.increment();
    }

    public void failure() {
        failures.increment();
    }

    public void cacheHit() {
        cacheHits.increment();
    }

    public void missingCredentials() {
        missing.increment();
    }

    public void rejectedForOverload() {
        rejected.increment();
    }
}
