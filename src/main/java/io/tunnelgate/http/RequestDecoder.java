package io.tunnelgate.http;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.LastHttpContent;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Netty's request decoder, configured with nginx's limits, that also measures the request head in
 * bytes ({@code $request_length}) and says whether part of a head is waiting (for the header
 * timeout: nginx logs 408 only when something arrived).
 */
final class RequestDecoder extends HttpRequestDecoder {
    private final int maxLineLength;
    private String rawLine;
    /** No message is in progress: the next byte starts a request line. */
    private boolean betweenMessages = true;
    /** An invalid method was seen: everything after it is dropped (the connection is closing). */
    private boolean rejected;
    private String closingLine;
    private int consumed;
    private int lastHeadLength;
    private boolean closedInsideHead;

    RequestDecoder(ClientLimits limits) {
        super(new HttpDecoderConfig()
                .setInitialBufferSize(Math.max(128, limits.headerBufferSize()))
                .setMaxInitialLineLength(limits.largeBufferSize())
                .setMaxHeaderSize(limits.largeBufferCount() * limits.largeBufferSize())
                // nginx accepts bare LF line ends; the module's own tests send them
                .setStrictLineParsing(false));
        this.maxLineLength = limits.largeBufferSize();
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
        if (rejected) {
            in.skipBytes(in.readableBytes());
            return;
        }
        if (betweenMessages && consumed == 0 && !methodSoFarValid(in)) {
            reject(in, out);
            return;
        }
        int before = in.readerIndex();
        int size = out.size();
        super.decode(ctx, in, out);
        consumed += in.readerIndex() - before;
        for (int i = size; i < out.size(); i++) {
            Object msg = out.get(i);
            if (msg instanceof HttpRequest req) {
                lastHeadLength = consumed;
                consumed = 0;
                // Netty's line parser consumes no partial line, so a request line it refused is
                // still whole in this call's input, even though the decoder skipped past it
                rawLine = req.decoderResult().isFailure() ? firstLine(in, before, in.writerIndex()) : null;
                betweenMessages = false;
            }
            if (msg instanceof LastHttpContent) {
                // body bytes are no part of the next head
                consumed = 0;
                betweenMessages = true;
            }
        }
    }

    @Override
    protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
        // the input is closing and the caller releases these bytes right after, before the front
        // handler hears of the close: remember that part of a head was waiting, and its line
        if (in.isReadable()) {
            closedInsideHead = true;
            closingLine = firstLine(in, in.readerIndex(), in.writerIndex());
        }
        super.decodeLast(ctx, in, out);
    }

    /**
     * nginx checks each byte of a method as it arrives: after optional empty lines, only
     * {@code A-Z}, {@code _} and {@code -} until a space. Netty's decoder instead skips control
     * characters and waits for a whole line, so a TLS handshake sent to a plain proxy port would
     * wait for the header timeout where nginx answers 400 at once.
     */
    private static boolean methodSoFarValid(ByteBuf in) {
        int i = in.readerIndex();
        int end = in.writerIndex();
        while (i < end && (in.getByte(i) == '\r' || in.getByte(i) == '\n')) {
            i++;
        }
        int start = i;
        for (; i < end; i++) {
            byte b = in.getByte(i);
            if (b == ' ') {
                return i > start;
            }
            if (!(b >= 'A' && b <= 'Z' || b == '_' || b == '-')) {
                return false;
            }
        }
        return true;
    }

    /** Emits a refused request for an invalid method and drops all further input. */
    private void reject(ByteBuf in, List<Object> out) {
        rawLine = firstLine(in, in.readerIndex(), in.writerIndex());
        in.skipBytes(in.readableBytes());
        rejected = true;
        DefaultHttpRequest bad = new DefaultHttpRequest(HttpVersion.HTTP_1_0, HttpMethod.GET, Request.BAD_REQUEST_URI);
        bad.setDecoderResult(DecoderResult.failure(new InvalidMethodException()));
        out.add(bad);
    }

    /** A request line whose method nginx would refuse; control flow, so no stack trace. */
    static final class InvalidMethodException extends Exception {
        private static final long serialVersionUID = 1L;

        InvalidMethodException() {
            super("invalid method", null, false, false);
        }
    }

    /**
     * The request line as received, for {@code $request} of a request that could not be parsed
     * (nginx logs what it got): the last refused line, or the start of a head that never
     * completed. Empty when there is none.
     */
    String rawLine() {
        if (rawLine != null) {
            return rawLine;
        }
        if (consumed == 0 && internalBuffer().isReadable()) {
            ByteBuf b = internalBuffer();
            return firstLine(b, b.readerIndex(), b.writerIndex());
        }
        return closingLine != null ? closingLine : "";
    }

    /** The first line from {@code from}: leading empty lines skipped, up to CR or LF, at most one large buffer. */
    private String firstLine(ByteBuf buf, int from, int to) {
        while (from < to && (buf.getByte(from) == '\r' || buf.getByte(from) == '\n')) {
            from++;
        }
        int end = from;
        int limit = Math.min(to, from + maxLineLength);
        while (end < limit && buf.getByte(end) != '\r' && buf.getByte(end) != '\n') {
            end++;
        }
        return buf.toString(from, end - from, StandardCharsets.ISO_8859_1);
    }

    /** Bytes of the most recently decoded request head. */
    int lastHeadLength() {
        return lastHeadLength;
    }

    /** True if the request line of the head in progress is complete (its headers are being read). */
    boolean requestLineRead() {
        return consumed > 0;
    }

    /** True if bytes of a request head that is not complete yet have arrived. */
    boolean hasPartialHead() {
        return consumed > 0 || closedInsideHead || internalBuffer().isReadable();
    }
}
