package io.tunnelgate.http;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.List;

/**
 * Netty's request decoder, configured with nginx's limits, that also measures the request head in
 * bytes ({@code $request_length}) and says whether part of a head is waiting (for the header
 * timeout: nginx logs 408 only when something arrived).
 */
final class RequestDecoder extends HttpRequestDecoder {
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
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
        int before = in.readerIndex();
        int size = out.size();
        super.decode(ctx, in, out);
        consumed += in.readerIndex() - before;
        for (int i = size; i < out.size(); i++) {
            Object msg = out.get(i);
            if (msg instanceof HttpRequest) {
                lastHeadLength = consumed;
                consumed = 0;
            }
            if (msg instanceof LastHttpContent) {
                // body bytes are no part of the next head
                consumed = 0;
            }
        }
    }

    @Override
    protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
        // the input is closing and the caller releases these bytes right after, before the front
        // handler hears of the close: remember that part of a head was waiting
        closedInsideHead |= in.isReadable();
        super.decodeLast(ctx, in, out);
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
