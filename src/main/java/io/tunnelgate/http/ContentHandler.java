package io.tunnelgate.http;

/**
 * Produces the response to a request in the content phase: a location's {@code return}, or the
 * server-level CONNECT handler that {@code proxy_connect} installs (as the module installs its
 * handler on the server's core configuration).
 *
 * <p>The handler must finish the request exactly once, synchronously through the
 * {@link Exchange} or later after taking the connection over.
 */
public interface ContentHandler {
    /**
     * Called in the post-read phase, before server rewrite, for requests this handler will serve;
     * creates per-request state that rewrite may change (the module's context).
     */
    default void postRead(Request request) {
    }

    /** Serves the request. Runs on the connection's event loop; must not block. */
    void handle(Request request, Exchange exchange);
}
