package io.tunnelgate.http;

import io.netty.handler.codec.http.HttpContent;

/**
 * Where the request body goes while a streaming content handler ({@code proxy_pass}) serves a
 * request (see {@link Exchange#stream}), and how that handler hears about the client connection.
 */
public interface BodySink {
    /**
     * A chunk of the request body, in order; the last is a {@link io.netty.handler.codec.http.LastHttpContent}
     * (possibly empty). The sink owns it. A chunk whose decoder result failed is a malformed body.
     */
    void content(HttpContent content);

    /** The client connection closed or failed before the response was finished. */
    void clientGone();

    /**
     * The client connection's writability changed: while it is not writable the response is
     * arriving faster than the client reads it, and reading the upstream should pause.
     */
    void clientWritabilityChanged(boolean writable);
}
