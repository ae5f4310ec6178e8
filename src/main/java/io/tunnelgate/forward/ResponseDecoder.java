package io.tunnelgate.forward;

import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpResponseDecoder;

/**
 * Netty's response decoder, told per request whether the request was a HEAD (whose response has
 * no body whatever its headers say), with the head limited to {@code proxy_buffer_size}.
 */
final class ResponseDecoder extends HttpResponseDecoder {
    private boolean head;

    ResponseDecoder(int maxHead) {
        super(new HttpDecoderConfig().setMaxInitialLineLength(maxHead).setMaxHeaderSize(maxHead)
                .setMaxChunkSize(64 * 1024));
    }

    /** Set before each request is written on the connection. */
    void expectHead(boolean head) {
        this.head = head;
    }

    @Override
    protected boolean isContentAlwaysEmpty(HttpMessage msg) {
        // a 101 has no body whatever it says; what follows it is the new protocol, passed through
        return head || msg instanceof io.netty.handler.codec.http.HttpResponse r && r.status().code() == 101
                || super.isContentAlwaysEmpty(msg);
    }
}
