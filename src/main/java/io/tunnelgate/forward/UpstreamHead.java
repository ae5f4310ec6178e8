package io.tunnelgate.forward;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpVersion;
import io.tunnelgate.auth.ProxyAuthorization;
import io.tunnelgate.http.Request;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Writes the request head sent upstream, in nginx's order: the request line, the
 * {@code proxy_set_header} headers (nginx's {@code Host: $proxy_host} unless one sets Host), the
 * body framing, then the client's headers that are neither replaced nor hop-by-hop, then
 * {@code Via}. A {@code Proxy-Authorization} that this proxy's authentication consumed is not
 * passed on: those credentials are the proxy's, not the origin's.
 */
final class UpstreamHead {
    /**
     * Client headers never passed on: hop-by-hop ones (RFC 9110 §7.6.1, plus the old
     * {@code Proxy-Connection}), those Tunnelgate frames itself, and {@code Expect}, which the
     * proxy answers itself.
     */
    private static final HeaderNameSet NOT_PASSED = HeaderNameSet.of("connection", "keep-alive", "te", "trailer",
            "transfer-encoding", "upgrade", "proxy-connection", "host", "content-length", "expect");
    private static final String VIA_10 = "1.0 tunnelgate";
    private static final String VIA_11 = "1.1 tunnelgate";

    private UpstreamHead() {
    }

    /**
     * @param bodyLength the request body's length, -1 when it is chunked
     * @param http11 send HTTP/1.1 (keep-alive) rather than HTTP/1.0 with {@code Connection: close}
     */
    static ByteBuf encode(ByteBufAllocator alloc, Request req, ForwardConf conf, String uri, String proxyHost,
                          long bodyLength, boolean http11) {
        ByteBuf b = alloc.buffer(512);
        text(b, req.method().name());
        b.writeByte(' ');
        text(b, uri);
        text(b, http11 ? " HTTP/1.1\r\n" : " HTTP/1.0\r\n");
        boolean hostSet = false;
        boolean connectionSet = false;
        for (HeaderRule rule : conf.headers()) {
            String v = rule.value().evaluate(req);
            hostSet |= rule.lowerName().equals("host");
            connectionSet |= rule.lowerName().equals("connection");
            if (v != null && !v.isEmpty() && !rule.lowerName().equals("content-length")
                    && !rule.lowerName().equals("transfer-encoding")) {
                header(b, rule.name(), v);
            }
        }
        if (!hostSet) {
            header(b, "Host", proxyHost);
        }
        if (!connectionSet && !http11) {
            header(b, "Connection", "close");
        }
        if (bodyLength >= 0 && (bodyLength > 0 || req.headers().contains(HttpHeaderNames.CONTENT_LENGTH))) {
            header(b, "Content-Length", Long.toString(bodyLength));
        } else if (bodyLength < 0) {
            header(b, "Transfer-Encoding", "chunked");
        }
        HttpHeaders headers = req.headers();
        List<String> connection = connectionValues(headers);
        boolean dropProxyCredentials = ProxyAuthorization.consumed(req);
        for (Iterator<Map.Entry<CharSequence, CharSequence>> it = headers.iteratorCharSequence(); it.hasNext(); ) {
            Map.Entry<CharSequence, CharSequence> h = it.next();
            CharSequence name = h.getKey();
            if (NOT_PASSED.contains(name) || conf.replaced().contains(name) || HeaderNameSet.listed(connection, name)
                    || dropProxyCredentials && HttpHeaderNames.PROXY_AUTHORIZATION.contentEqualsIgnoreCase(name)) {
                continue;
            }
            header(b, name, h.getValue());
        }
        if (conf.via()) {
            header(b, "Via", via(req.head().protocolVersion()));
        }
        b.writeByte('\r').writeByte('\n');
        return b;
    }

    /** {@code Via}'s received-protocol is the version the message arrived with. */
    static String via(HttpVersion version) {
        return version.minorVersion() == 0 && version.majorVersion() == 1 ? VIA_10 : VIA_11;
    }

    /**
     * The values of the {@code Connection} headers, whose tokens name headers that are hop-by-hop
     * for this connection only (see {@link HeaderNameSet#listed}); empty, without allocating, when
     * there is none.
     */
    static List<String> connectionValues(HttpHeaders headers) {
        return headers.contains(HttpHeaderNames.CONNECTION) ? headers.getAll(HttpHeaderNames.CONNECTION) : List.of();
    }

    static void header(ByteBuf b, CharSequence name, CharSequence value) {
        text(b, name);
        b.writeByte(':').writeByte(' ');
        text(b, value);
        b.writeByte('\r').writeByte('\n');
    }

    static void text(ByteBuf b, CharSequence s) {
        b.writeCharSequence(s, StandardCharsets.ISO_8859_1);
    }
}
