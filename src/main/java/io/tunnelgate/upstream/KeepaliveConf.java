package io.tunnelgate.upstream;

/**
 * The idle-connection cache of a group ({@code keepalive}, {@code keepalive_timeout},
 * {@code keepalive_requests}, {@code keepalive_time} inside {@code upstream { }}).
 *
 * @param connections {@code keepalive N}: idle connections kept per event loop; 0 when the group
 *     has no {@code keepalive} directive, meaning connections are closed after each request
 * @param timeoutMs how long an idle connection is kept (default 60s)
 * @param requests requests one connection serves before it is closed (default 1000)
 * @param timeMs how long one connection is used for at most (default 1h)
 */
public record KeepaliveConf(int connections, long timeoutMs, int requests, long timeMs) {
    static final long DEFAULT_TIMEOUT_MS = 60_000;
    static final int DEFAULT_REQUESTS = 1000;
    static final long DEFAULT_TIME_MS = 3_600_000;

    /** No cache: what a group without {@code keepalive} (and every implicit group) has. */
    public static final KeepaliveConf NONE =
            new KeepaliveConf(0, DEFAULT_TIMEOUT_MS, DEFAULT_REQUESTS, DEFAULT_TIME_MS);
}
