package io.tunnelgate.forward;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.tunnelgate.http.Request;

/**
 * A proxied response on its way to the client: the head, then the body in the framing the client
 * can read. A length from the upstream passes as it is; a chunked or close-delimited body is sent
 * chunked to an HTTP/1.1 client (so its connection stays open) and close-delimited to HTTP/1.0.
 */
final class ResponseBody {
    private final Request req;
    private final Channel client;
    private final boolean chunked;
    private final boolean noBody;
    private final boolean closesClient;
    private final boolean reusable;

    private ResponseBody(Request req, Channel client, boolean chunked, boolean noBody, boolean closesClient,
                         boolean reusable) {
        this.req = req;
        this.client = client;
        this.chunked = chunked;
        this.noBody = noBody;
        this.closesClient = closesClient;
        this.reusable = reusable;
    }

    /** Decides the framing and writes the head (not flushed: the body's first bytes may join it). */
    static ResponseBody start(Request req, ForwardConf conf, HttpResponse head, Channel client) {
        int status = head.status().code();
        boolean noBody = req.method().equals(HttpMethod.HEAD) || status == 204 || status == 304;
        boolean hasLength = head.headers().contains(HttpHeaderNames.CONTENT_LENGTH);
        boolean upstreamChunked = HttpUtil.isTransferEncodingChunked(head);
        boolean delimited = hasLength || upstreamChunked || noBody;
        boolean client11 = req.head().protocolVersion().equals(HttpVersion.HTTP_1_1);
        boolean chunked = !noBody && !hasLength && client11;
        boolean closesClient = !noBody && !hasLength && !client11;
        ByteBuf bytes = ClientHead.encode(req, conf, head, chunked, closesClient || !req.keepAlive(), false);
        req.status(status);
        req.addSent(bytes.readableBytes(), 0);
        client.write(bytes, client.voidPromise());
        return new ResponseBody(req, client, chunked, noBody, closesClient, delimited && HttpUtil.isKeepAlive(head));
    }

    /** Passes one piece of the body on; the client owns its buffer from here. */
    void write(HttpContent content) {
        ByteBuf data = content.content();
        int n = data.readableBytes();
        if (noBody || n == 0) {
            data.release();
        } else {
            req.addSent(n, n);
            if (chunked) {
                ByteBuf header = Chunks.header(client.alloc(), n);
                req.addSent(header.readableBytes() + 2, 0);
                client.write(header, client.voidPromise());
                client.write(data, client.voidPromise());
                client.write(Chunks.crlf(), client.voidPromise());
            } else {
                client.write(data, client.voidPromise());
            }
        }
        if (content instanceof LastHttpContent last && chunked) {
            ByteBuf end = Chunks.last(client.alloc(), last.trailingHeaders());
            req.addSent(end.readableBytes(), 0);
            client.write(end, client.voidPromise());
        }
    }

    /** The body ended where the upstream said it would, and the upstream keeps the connection open. */
    boolean reusable() {
        return reusable;
    }

    /** The body's end is the connection's end (an HTTP/1.0 client without a length). */
    boolean closesClient() {
        return closesClient;
    }
}
