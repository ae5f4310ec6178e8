package io.tunnelgate.tunnel;

import io.tunnelgate.http.ModuleKey;

/**
 * The module's per-request context for a CONNECT (spec §2): created in post-read with the
 * configured timeouts and the default response, so rewrite may change them; then filled in as the
 * tunnel is set up, for the {@code $connect_addr} and {@code $proxy_connect_*_time} variables.
 *
 * <p>Times are monotonic nanoseconds; -1 means "did not happen".
 */
final class ConnectContext {
    static final ModuleKey<ConnectContext> KEY = ModuleKey.create("proxy_connect");
    /** The module's default established response, byte for byte (spec §3.7). */
    static final String DEFAULT_RESPONSE = "HTTP/1.1 200 Connection Established\r\nProxy-agent: nginx\r\n\r\n";

    long connectTimeoutMillis;
    long dataTimeoutMillis;
    long sendTimeoutMillis;
    /** The bytes still to send as the established response ({@code $proxy_connect_response}). */
    String response = DEFAULT_RESPONSE;

    /** Set when the content handler starts setting up the upstream. */
    boolean upstreamStarted;
    long handlerStartNanos = -1;
    long resolveDoneNanos = -1;
    long connectStartNanos = -1;
    long connectedNanos = -1;
    long firstByteNanos = -1;
    /** {@code ip:port} of the peer dialled, set just before the connect. */
    String connectAddr;

    ConnectContext(TunnelConf conf) {
        this.connectTimeoutMillis = conf.connectTimeoutMillis();
        this.dataTimeoutMillis = conf.dataTimeoutMillis();
        this.sendTimeoutMillis = conf.sendTimeoutMillis();
    }
}
