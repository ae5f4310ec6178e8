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
import java.util.Locale;
import java.util.Map;
import java.util.Set;

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
    private static final Set<String> NOT_PASSED = Set.of("connection", "keep-alive", "te", "trailer",
            "transfer-encoding", "upgrade", "proxy-connection", "host", "content-length", "expect");

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
        Set<String> named = connectionTokens(headers);
        boolean dropProxyCredentials = ProxyAuthorization.consumed(req);
        for (Iterator<Map.Entry<CharSequence, CharSequence>> it = headers.iteratorCharSequence(); it.hasNext(); ) {
            Map.Entry<CharSequence, CharSequence> h = it.next();
            String lower = h.getKey().toString().toLowerCase(Locale.ROOT);
            if (NOT_PASSED.contains(lower) || conf.replaced().contains(lower) || named.contains(lower)
                    || dropProxyCredentials && lower.equals("proxy-authorization")) {
                continue;
            }
            header(b, h.getKey().toString(), h.getValue().toString());
        }
        if (conf.via()) {
            header(b, "Via", via(req.head().protocolVersion()));
        }
        b.writeByte('\r').writeByte('\n');
        return b;
    }

    /** {@code Via}'s received-protocol is the version the message arrived with. */
    static String via(HttpVersion version) {
        return (version.minorVersion() == 0 && version.majorVersion() == 1 ? "1.0" : "1.1") + " tunnelgate";
    }

    /** The header names a {@code Connection} header lists: hop-by-hop for this connection only. */
    static Set<String> connectionTokens(HttpHeaders headers) {
        if (!headers.contains(HttpHeaderNames.CONNECTION)) {
            return Set.of();
        }
        Set<String> names = new java.util.HashSet<>();
        for (String value : headers.getAll(HttpHeaderNames.CONNECTION)) {
            for (String token : value.split(",")) {
                String t = token.trim().toLowerCase(Locale.ROOT);
                if (!t.isEmpty()) {
                    names.add(t);
                }
            }
        }
        return names;
    }

    static void header(ByteBuf b, String name, String value) {
        text(b, name);
        b.writeByte(':').writeByte(' ');
        text(b, value);
        b.writeByte('\r').writeByte('\n');
    }

    static void text(ByteBuf b, String s) {
        b.writeCharSequence(s, StandardCharsets.ISO_8859_1);
    }
}
