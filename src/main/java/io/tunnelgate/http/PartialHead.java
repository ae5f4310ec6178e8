package io.tunnelgate.http;

import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;

/**
 * The part of a request head that arrived on a connection being given up (its client timed out
 * or closed mid-head): nginx sends nothing then, but logs that part as a request (error log and
 * access log, with the status it chose) before it closes. Kept apart from {@link FrontendHandler}
 * and {@link Request}, which deal with heads that did complete.
 */
final class PartialHead {
    private PartialHead() {
    }

    /**
     * Logs the part of a head {@code decoder} holds (it must hold one) with {@code status}, then
     * closes the connection.
     *
     * @param message the error-log reason, to which nginx's "while reading client request ..." is added
     */
    static void logAndClose(ClientConnection connection, RequestDecoder decoder, int status, String message) {
        Request req = request(connection, decoder.rawLine());
        String part = decoder.requestLineRead() ? "headers" : "line";
        RequestProcessor.info(req, message + " while reading client request " + part);
        req.status(status);
        RequestEnd.logAndClose(req);
    }

    /** A request for the head that never completed, logged with {@code rawLine} as its request line. */
    private static Request request(ClientConnection connection, String rawLine) {
        DefaultHttpRequest head = new DefaultHttpRequest(HttpVersion.HTTP_1_0, HttpMethod.GET, Request.BAD_REQUEST_URI);
        head.setDecoderResult(DecoderResult.failure(new IllegalStateException("incomplete request head")));
        return new Request(connection, head, 0, rawLine, connection.hosts().defaultServer());
    }
}
