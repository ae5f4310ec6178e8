package io.tunnelgate.http;

import io.netty.channel.ChannelHandler;

/**
 * What the HTTP front offers the handler serving a request: ways to finish it, or to take the
 * connection over (a CONNECT tunnel).
 */
public interface Exchange {
    /** Writes a response Tunnelgate made, logs the request, and keeps or closes the connection. */
    void send(Request request, Response response);

    /** Sends nginx's page for {@code status}; the connection closes if nginx's rules say so. */
    void sendError(Request request, int status);

    /** Finishes with no response at all and closes the connection (nginx's {@code return 444}). */
    void closeWithoutResponse(Request request, int status);

    /**
     * Hands the connection over: {@code replacement} takes the front handler's place, the HTTP
     * decoder is removed and any bytes it had read past the request head reach
     * {@code replacement} first. From then on the caller owns the connection and must finish the
     * request (see {@link RequestEnd}).
     */
    void detach(ChannelHandler replacement);
}
