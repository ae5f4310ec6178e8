package io.tunnelgate.http;

import io.tunnelgate.log.LogClock;
import io.tunnelgate.metrics.AuthStats;
import io.tunnelgate.metrics.RelayStats;
import io.tunnelgate.resolve.ResolverPool;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.LongSupplier;

/**
 * The process-wide services a request may use, fixed at start: the channels for upstream
 * connections (same transport as the listeners, the family of the peer), the resolvers, the connection budget, the clocks,
 * and the pools where file-system work and password hashing run so that they never block an
 * event loop.
 *
 * @param nanoTime monotonic time for durations (injectable for tests)
 * @param blocking runs file-system calls (stat, open) off the event loops
 * @param authPool verifies password hashes off the event loops; bounded, so it throws
 *     {@link RejectedExecutionException} when full (the request is answered 503)
 * @param authStats counters of proxy authentication
 * @param relayStats counters of the relays (which path, spliced bytes)
 */
public record Services(UpstreamChannels upstreamChannels, ResolverPool resolvers,
                       ConnectionBudget budget, LogClock clock, LongSupplier nanoTime, Executor blocking,
                       Executor authPool, AuthStats authStats, RelayStats relayStats) {

    /**
     * Services without a password-verification pool (for tests that build requests by hand): any
     * verification is refused as an overload, which is safe, since nothing then hashes on the
     * calling thread.
     */
    public Services(UpstreamChannels upstreamChannels, ResolverPool resolvers,
                    ConnectionBudget budget, LogClock clock, LongSupplier nanoTime, Executor blocking) {
        this(upstreamChannels, resolvers, budget, clock, nanoTime, blocking, task -> {
            throw new RejectedExecutionException("no password verification pool");
        }, new AuthStats(), new RelayStats());
    }
}
