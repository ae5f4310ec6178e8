package io.tunnelgate.http;

import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;

/**
 * Counts a chunked request body as it arrives against {@code client_max_body_size}. A body with
 * Content-Length is checked once, against its length, when the location is found
 * ({@link Phases}); a chunked one can only be counted.
 */
final class ChunkedBodyLimit {
    private boolean chunked;
    private long received;

    /** Starts counting the body of {@code head}; only a chunked body of a valid non-CONNECT head counts. */
    void start(HttpRequest head) {
        chunked = head.decoderResult().isSuccess() && !"CONNECT".equals(head.method().name())
                && HttpUtil.isTransferEncodingChunked(head);
        received = 0;
    }

    /**
     * Adds a piece of the body.
     *
     * @return nginx's error-log message when the body passed the limit of the level serving
     *     {@code req}, else null
     */
    String add(Request req, HttpContent piece) {
        if (!chunked) {
            return null;
        }
        long before = received;
        received += piece.content().readableBytes();
        if (!req.level().limits().bodyTooLarge(received)) {
            return null;
        }
        return "client intended to send too large chunked body: " + before + "+" + (received - before) + " bytes";
    }

    /** Body bytes counted so far. */
    long received() {
        return received;
    }
}
