package io.tunnelgate.http;

/**
 * Per-level limits on a request's body and on how long a client connection is reused, read where
 * nginx reads them: once the request's location is known.
 *
 * @param clientMaxBodySize {@code client_max_body_size} in bytes; 0 means no limit
 * @param keepaliveRequests {@code keepalive_requests}: the request with this number on a
 *     connection is the last one it carries
 * @param keepaliveTimeMillis {@code keepalive_time}: a request that starts on a connection older
 *     than this is its last one
 */
public record RequestLimits(long clientMaxBodySize, int keepaliveRequests, long keepaliveTimeMillis) {
    /** nginx's defaults: 1m, 1000 requests, 1h. */
    public static final RequestLimits DEFAULT = new RequestLimits(1L << 20, 1000, 3_600_000L);

    /** Whether a body of {@code bytes} is more than the limit allows. */
    boolean bodyTooLarge(long bytes) {
        return clientMaxBodySize > 0 && bytes > clientMaxBodySize;
    }
}
