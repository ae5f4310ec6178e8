package io.tunnelgate.http;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.PrematureChannelClosureException;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;

/**
 * nginx's checks of a request body as it arrives: a malformed chunk, and a chunked body past
 * {@code client_max_body_size} (a body with Content-Length is checked once, against its length,
 * when the location is found: {@link Phases}). One per connection, restarted for every request.
 * The bytes that arrive while the content handler decides and those handed to a streaming sink
 * are counted apart, since the first are handed to the sink again.
 */
final class BodyChecks {
    /** A body refused before anything was answered: nginx's status and error-log message. */
    record Refusal(int status, String message) {
    }

    private boolean chunked;
    private long early;
    private long streamed;
    private boolean refused;

    /** Starts on the body of {@code head}; only a chunked body of a valid non-CONNECT head is counted. */
    void start(HttpRequest head) {
        chunked = head.decoderResult().isSuccess() && !"CONNECT".equals(head.method().name())
                && HttpUtil.isTransferEncodingChunked(head);
        early = 0;
        streamed = 0;
        refused = false;
    }

    /** Counts a piece that arrived before the request's head was handled (it was parked). */
    void countParked(HttpContent piece) {
        if (chunked) {
            early += piece.content().readableBytes();
        }
    }

    /**
     * Checks a piece that arrived while the content handler decides (nothing answered yet).
     *
     * @return the refusal (400 for a malformed chunk, 413 past the limit), or null to go on
     */
    Refusal beforeAnswer(Request req, HttpContent piece) {
        if (malformed(piece)) {
            return new Refusal(400, "client sent invalid chunked body");
        }
        if (!chunked || piece.decoderResult().isFailure()) {
            return null;
        }
        long before = early;
        early += piece.content().readableBytes();
        return req.level().limits().bodyTooLarge(early) ? new Refusal(413, tooLarge(before, early)) : null;
    }

    /**
     * Checks a piece on its way to a streaming sink: a malformed chunk is logged as nginx does and
     * passed on; a piece past the limit is released and replaced by a failed last content whose
     * cause is {@link BodyTooLargeException}. After either, {@link #refused()} is true.
     */
    HttpContent toSink(Request req, HttpContent piece) {
        if (malformed(piece)) {
            RequestProcessor.error(req, "client sent invalid chunked body");
            refused = true;
            return piece;
        }
        if (!chunked || piece.decoderResult().isFailure()) {
            return piece;
        }
        long before = streamed;
        streamed += piece.content().readableBytes();
        if (!req.level().limits().bodyTooLarge(streamed)) {
            return piece;
        }
        RequestProcessor.error(req, tooLarge(before, streamed));
        piece.release();
        refused = true;
        LastHttpContent last = new DefaultLastHttpContent(Unpooled.EMPTY_BUFFER);
        last.setDecoderResult(DecoderResult.failure(new BodyTooLargeException(streamed)));
        return last;
    }

    /** Whether the sink was given a refused body: the connection must close after the response. */
    boolean refused() {
        return refused;
    }

    /** A failed piece that is not the client closing mid-body. */
    static boolean malformed(HttpContent piece) {
        return piece.decoderResult().isFailure()
                && !(piece.decoderResult().cause() instanceof PrematureChannelClosureException);
    }

    /** nginx's "%O+%O bytes": what had arrived, plus the piece that passed the limit. */
    private static String tooLarge(long before, long total) {
        return "client intended to send too large chunked body: " + before + "+" + (total - before) + " bytes";
    }
}
