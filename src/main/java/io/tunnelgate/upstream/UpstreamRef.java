package io.tunnelgate.upstream;

import io.tunnelgate.config.SourcePos;

/**
 * A static {@code proxy_pass} URL's claim on a group, made while the config loads and bound by
 * {@link UpstreamGroups#finish()} once every {@code upstream} block is known (a block may come
 * after the {@code proxy_pass} that names it, as in nginx).
 */
public final class UpstreamRef {
    private final String host;
    private final int port;
    private final boolean portGiven;
    private final SourcePos pos;
    /** Written once on the loading thread; volatile so any event loop sees it however the config travels. */
    private volatile UpstreamGroup group;

    UpstreamRef(String host, int port, boolean portGiven, SourcePos pos) {
        this.host = host;
        this.port = port;
        this.portGiven = portGiven;
        this.pos = pos;
    }

    /**
     * The group this URL uses.
     *
     * @throws IllegalStateException before {@link UpstreamGroups#finish()} ran (a wiring bug)
     */
    public UpstreamGroup group() {
        UpstreamGroup g = group;
        if (g == null) {
            throw new IllegalStateException("upstream \"" + host + "\" referenced at " + pos + " is not bound yet");
        }
        return g;
    }

    void bind(UpstreamGroup g) {
        this.group = g;
    }

    String host() {
        return host;
    }

    int port() {
        return port;
    }

    boolean portGiven() {
        return portGiven;
    }

    SourcePos pos() {
        return pos;
    }
}
