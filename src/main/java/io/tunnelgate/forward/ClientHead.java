package io.tunnelgate.forward;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.tunnelgate.Version;
import io.tunnelgate.http.Request;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Writes the head of a proxied response for the client, as nginx's header filter orders it: the
 * status line with the upstream's reason phrase, {@code Server} and {@code Date} (Tunnelgate's,
 * unless {@code proxy_pass_header} passes the upstream's), {@code Content-Type},
 * {@code Content-Length}, {@code Last-Modified}, {@code Location}, the framing and
 * {@code Connection}, then the other upstream headers in their order, then {@code Via}.
 */
final class ClientHead {
    /** Hop-by-hop response headers (and the framing, which is redone for the client). */
    private static final Set<String> HOP = Set.of("connection", "keep-alive", "te", "trailer", "transfer-encoding",
            "upgrade", "proxy-connection", "proxy-authenticate", "content-length");
    private static final Set<String> FIRST = Set.of("content-type", "last-modified", "location");

    private ClientHead() {
    }

    /**
     * @param chunked the body is re-framed as chunked for the client
     * @param close the connection closes after this response
     * @param upgrade a 101: {@code Upgrade} and {@code Connection} pass as the upstream sent them
     */
    static ByteBuf encode(Request req, ForwardConf conf, HttpResponse resp, boolean chunked, boolean close,
                          boolean upgrade) {
        ByteBuf b = req.connection().channel().alloc().buffer(512);
        HttpHeaders h = resp.headers();
        UpstreamHead.text(b, "HTTP/1.1 " + resp.status().code() + " " + resp.status().reasonPhrase() + "\r\n");
        if (conf.hide().contains("server")) {
            UpstreamHead.header(b, "Server", req.level().serverTokens() ? Version.PRODUCT : "tunnelgate");
        }
        if (conf.hide().contains("date")) {
            UpstreamHead.header(b, "Date", req.connection().services().clock().httpDate());
        }
        copy(b, h, "Content-Type");
        copy(b, h, "Content-Length");
        copy(b, h, "Last-Modified");
        copy(b, h, "Location");
        if (chunked) {
            UpstreamHead.header(b, "Transfer-Encoding", "chunked");
        }
        if (upgrade) {
            copy(b, h, "Connection");
            copy(b, h, "Upgrade");
        } else {
            UpstreamHead.header(b, "Connection", close ? "close" : "keep-alive");
        }
        Set<String> named = UpstreamHead.connectionTokens(h);
        for (Iterator<Map.Entry<CharSequence, CharSequence>> it = h.iteratorCharSequence(); it.hasNext(); ) {
            Map.Entry<CharSequence, CharSequence> e = it.next();
            String lower = e.getKey().toString().toLowerCase(Locale.ROOT);
            if (HOP.contains(lower) || FIRST.contains(lower) || conf.hide().contains(lower)
                    || named.contains(lower) && !upgrade) {
                continue;
            }
            UpstreamHead.header(b, e.getKey().toString(), e.getValue().toString());
        }
        if (conf.via()) {
            UpstreamHead.header(b, "Via", UpstreamHead.via(resp.protocolVersion()));
        }
        b.writeByte('\r').writeByte('\n');
        return b;
    }

    private static void copy(ByteBuf b, HttpHeaders h, String name) {
        for (String v : h.getAll(name)) {
            UpstreamHead.header(b, name, v);
        }
    }
}
