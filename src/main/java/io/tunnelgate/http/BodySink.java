package io.tunnelgate.http;

import io.netty.handler.codec.http.HttpContent;

/**
 * Where the request body goes while a streaming content handler ({@code proxy_pass}) serves a
 * request (see {@link Exchange#stream}), and how that handler hears about the client connection.
 */
public interface BodySink {
    /**
     * A chunk of the request body, in order; the last is a {@link io.netty.handler.codec.http.LastHttpContent}
     * (possibly empty). The sink owns it. Nothing follows a chunk whose decoder result failed; it
     * is always a {@code LastHttpContent} with an empty buffer, and its cause says why:
     * <ul>
     *   <li>{@link BodyTooLargeException}: the chunked body passed {@code client_max_body_size}.
     *       The front has logged nginx's {@code client intended to send too large chunked body}
     *       line; the sink answers 413 if it has not answered yet, else just ends the response.</li>
     *   <li>{@link io.netty.handler.codec.PrematureChannelClosureException}: the client closed its
     *       side in the middle of the body (nginx's 499 when nothing was answered).</li>
     *   <li>anything else: a malformed chunked body. The front has logged nginx's {@code client
     *       sent invalid chunked body}; the sink answers 400 if it has not answered yet.</li>
     * </ul>
     * After a too large or malformed body the front stops reading the client and closes the
     * connection after {@link Exchange#streamDone}, whatever its {@code close} argument says
     * (nginx closes after 400 and 413).
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
