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
import io.netty.util.AsciiString;
import io.netty.util.ReferenceCountUtil;
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
    /** The first byte of a folded header line in the head being read, or -1. */
    private int folded = -1;

    RequestDecoder(ClientLimits limits) {
        super(new HttpDecoderConfig()
                .setInitialBufferSize(Math.max(128, limits.headerBufferSize()))
                .setMaxInitialLineLength(limits.largeBufferSize())
                .setMaxHeaderSize(limits.largeBufferCount() * limits.largeBufferSize())
                // nginx accepts bare LF line ends; the module's own tests send them
                .setStrictLineParsing(false)
                // to name the duplicate line in nginx's refusal (Netty merges them)
                .setHeadersFactory(FramingHeaders.FACTORY));
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
        if (betweenMessages && folded < 0) {
            folded = foldedLine(in, consumed == 0);
        }
        int before = in.readerIndex();
        int size = out.size();
        super.decode(ctx, in, out);
        consumed += in.readerIndex() - before;
        for (int i = size; i < out.size(); i++) {
            Object msg = out.get(i);
            if (msg instanceof HttpRequest req && folded >= 0) {
                refuseFolded(req, out, i + 1);
            }
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
     * Finds a header line that starts with white space (obsolete line folding) among the whole
     * lines of the head in {@code in}. Netty would join it to the previous header's value; nginx
     * refuses the request. Netty consumes whole lines only, so {@code in} starts at a line.
     *
     * @param lineFirst whether the first line in {@code in} is the request line
     * @return the line's first byte, or -1 when there is none (yet)
     */
    private static int foldedLine(ByteBuf in, boolean lineFirst) {
        int i = in.readerIndex();
        int end = in.writerIndex();
        if (lineFirst) {
            while (i < end && (in.getByte(i) == '\r' || in.getByte(i) == '\n')) {
                i++;
            }
        }
        boolean requestLine = lineFirst;
        while (i < end) {
            int lf = in.indexOf(i, end, (byte) '\n');
            if (lf < 0) {
                return -1;
            }
            byte first = in.getByte(i);
            if (!requestLine) {
                if (first == '\r' || first == '\n') {
                    // the empty line: the head ends here
                    return -1;
                }
                if (first == ' ' || first == '\t') {
                    return first;
                }
            }
            requestLine = false;
            i = lf + 1;
        }
        return -1;
    }

    /** Marks a head with a folded line as refused and drops everything after it. */
    private void refuseFolded(HttpRequest req, List<Object> out, int from) {
        // a request line Netty refused was refused first (nginx parses it before any header)
        if (!(req.decoderResult().isFailure() && Request.BAD_REQUEST_URI.equals(req.uri()))) {
            req.setDecoderResult(DecoderResult.failure(new FoldedLineException(folded)));
        }
        folded = -1;
        stopReading();
        while (out.size() > from) {
            ReferenceCountUtil.release(out.remove(out.size() - 1));
        }
    }

    /**
     * Drops all further input: the connection is closing after a refused request or body, and
     * nothing after it may be taken for a request.
     */
    void stopReading() {
        rejected = true;
    }

    /** A header line that starts with white space; control flow, so no stack trace. */
    static final class FoldedLineException extends Exception {
        private static final long serialVersionUID = 1L;
        private final int firstByte;

        FoldedLineException(int firstByte) {
            super("folded header line", null, false, false);
            this.firstByte = firstByte;
        }

        int firstByte() {
            return firstByte;
        }
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

    @Override
    protected AsciiString splitHeaderName(byte[] sb, int start, int length) {
        AsciiString known = KnownNames.header(sb, start, length);
        return known != null ? known : super.splitHeaderName(sb, start, length);
    }

    @Override
    protected String splitFirstWordInitialLine(byte[] sb, int start, int length) {
        return KnownNames.isConnect(sb, start, length) ? HttpMethod.CONNECT.name()
                : super.splitFirstWordInitialLine(sb, start, length);
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
