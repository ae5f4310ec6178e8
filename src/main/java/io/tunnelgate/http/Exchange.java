package io.tunnelgate.http;

import io.netty.channel.ChannelHandler;

/**
 * What the HTTP front offers the handler serving a request: ways to finish it, or to take the
 * connection over (a CONNECT tunnel).
 */
public interface Exchange {
    /** Writes a response Tunnelgate made, logs the request, and keeps or closes the connection. */
    void send(Request request, Response response);

    /**
     * nginx's special response for an error status: an {@code error_page} for it if one applies
     * (see {@link ErrorPages}), else nginx's page; the connection closes if nginx's rules say so.
     */
    void sendError(Request request, int status);

    /**
     * A redirect ({@code 301} ...) with its Location (made absolute when it starts with
     * {@code /}); an {@code error_page} for the status applies as for errors.
     */
    void sendRedirect(Request request, int status, String location);

    /**
     * nginx's internal redirect: the request runs again from server rewrite with a new URI and
     * arguments (at most {@code 10} URI changes per request, then 500).
     */
    void internalRedirect(Request request, String uri, String args);

    /**
     * Writes a response whose body is a file region (zero-copy where the transport can), then
     * logs the request and keeps or closes the connection as {@link #send} does. The region is
     * released (its file closed) once written or failed.
     */
    void sendFile(Request request, FileResponse response);

    /** Finishes with no response at all and closes the connection (nginx's {@code return 444}). */
    void closeWithoutResponse(Request request, int status);

    /**
     * Hands the connection over: {@code replacement} takes the front handler's place, the HTTP
     * decoder is removed and any bytes it had read past the request head reach
     * {@code replacement} first. From then on the caller owns the connection and must finish the
     * request (see {@link RequestEnd}).
     */
    void detach(ChannelHandler replacement);

    /**
     * Lends the connection to a content handler that streams the request body and writes the
     * response itself ({@code proxy_pass}). Until it calls {@link #streamDone}, the request's body
     * chunks go to {@code sink}, the handler decides when the client is read, and the front
     * answers nothing.
     */
    void stream(Request request, BodySink sink);

    /**
     * The streaming handler wrote the whole response: the request is logged once {@code lastWrite}
     * completed, then the connection waits for the next request, or closes if {@code close}.
     */
    void streamDone(Request request, io.netty.channel.ChannelFuture lastWrite, boolean close);
}
