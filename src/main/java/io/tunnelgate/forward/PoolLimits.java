package io.tunnelgate.forward;

/**
 * How upstream connections are kept for reuse: at most {@code idle} idle connections per
 * address on each event loop, each for {@code timeoutMillis} while idle, for at most
 * {@code requests} requests and {@code timeNanos} in all (nginx's {@code keepalive},
 * {@code keepalive_timeout}, {@code keepalive_requests} and {@code keepalive_time} of an
 * upstream block).
 */
record PoolLimits(int idle, long timeoutMillis, int requests, long timeNanos) {
    /** For destinations without an upstream block that says otherwise. */
    static final PoolLimits DEFAULT = new PoolLimits(32, 60_000, 1000, 3_600_000_000_000L);
}
