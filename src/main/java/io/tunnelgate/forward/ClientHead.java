package io.tunnelgate.forward;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.tunnelgate.Version;
import io.tunnelgate.http.AddHeader;
import io.tunnelgate.http.Request;
import io.tunnelgate.http.SentHeaders;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The head of a proxied response as the client gets it, in the order nginx's header filter writes
 * it: the status line with the upstream's reason phrase, {@code Server} and {@code Date}
 * (Tunnelgate's, unless {@code proxy_pass_header} passes the upstream's), {@code Content-Type},
 * {@code Content-Length}, {@code Last-Modified}, {@code Location}, the framing and
 * {@code Connection}, then the other upstream headers in their order, then the level's
 * {@code add_header}s, then {@code Via}.
 *
 * <p>It stays on the request as its {@link SentHeaders}: {@code $sent_http_NAME} is answered from
 * the upstream's head and the same rules that wrote it, not from a copy.
 */
final class ClientHead implements SentHeaders {
    /** Hop-by-hop response headers (and the framing, which is redone for the client). */
    private static final HeaderNameSet HOP = HeaderNameSet.of("connection", "keep-alive", "te", "trailer",
            "transfer-encoding", "upgrade", "proxy-connection", "proxy-authenticate", "content-length");
    private static final HeaderNameSet FIRST = HeaderNameSet.of("content-type", "last-modified", "location");
    private static final String HTTP_11 = "HTTP/1.1 ";

    private final Request req;
    private final ForwardConf conf;
    private final HttpResponse resp;
    private final boolean chunked;
    private final boolean close;
    private final boolean upgrade;
    /** The upstream's Connection values, whose tokens are not passed on. */
    private final List<String> connection;
    private final List<String> added;
    private final String server;
    private final String date;

    /**
     * @param chunked the body is re-framed as chunked for the client
     * @param close the connection closes after this response
     * @param upgrade a 101: {@code Upgrade} and {@code Connection} pass as the upstream sent them
     */
    private ClientHead(Request req, ForwardConf conf, HttpResponse resp, boolean chunked, boolean close,
                       boolean upgrade) {
        this.req = req;
        this.conf = conf;
        this.resp = resp;
        this.chunked = chunked;
        this.close = close;
        this.upgrade = upgrade;
        this.connection = UpstreamHead.connectionValues(resp.headers());
        this.added = AddHeader.evaluate(req, resp.status().code());
        this.server = conf.hide().contains("server") ? (req.level().serverTokens() ? Version.PRODUCT : "tunnelgate")
                : null;
        this.date = conf.hide().contains("date") ? req.connection().services().clock().httpDate() : null;
    }

    /** Encodes the head into a buffer the caller owns and records it as the request's sent head. */
    static ByteBuf encode(Request req, ForwardConf conf, HttpResponse resp, boolean chunked, boolean close,
                          boolean upgrade) {
        ClientHead head = new ClientHead(req, conf, resp, chunked, close, upgrade);
        req.sentHeaders(head);
        return head.encode();
    }

    private ByteBuf encode() {
        ByteBuf b = req.connection().channel().alloc().buffer(512);
        HttpHeaders h = resp.headers();
        UpstreamHead.text(b, HTTP_11);
        UpstreamHead.text(b, resp.status().codeAsText());
        b.writeByte(' ');
        UpstreamHead.text(b, resp.status().reasonPhrase());
        b.writeByte('\r').writeByte('\n');
        if (server != null) {
            UpstreamHead.header(b, "Server", server);
        }
        if (date != null) {
            UpstreamHead.header(b, "Date", date);
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
        for (Iterator<Map.Entry<CharSequence, CharSequence>> it = h.iteratorCharSequence(); it.hasNext(); ) {
            Map.Entry<CharSequence, CharSequence> e = it.next();
            if (passes(e.getKey())) {
                UpstreamHead.header(b, e.getKey(), e.getValue());
            }
        }
        for (int i = 0; i < added.size(); i += 2) {
            UpstreamHead.header(b, added.get(i), added.get(i + 1));
        }
        if (conf.via()) {
            UpstreamHead.header(b, "Via", via());
        }
        b.writeByte('\r').writeByte('\n');
        return b;
    }

    /** An upstream header that goes to the client in the general part of the head. */
    private boolean passes(CharSequence name) {
        return !HOP.contains(name) && !FIRST.contains(name) && !conf.hide().contains(name)
                && !(!upgrade && HeaderNameSet.listed(connection, name));
    }

    private String via() {
        return UpstreamHead.via(resp.protocolVersion());
    }

    @Override
    public String get(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        HttpHeaders h = resp.headers();
        String found = switch (lower) {
            case "server" -> server != null ? server : upstream(h, lower);
            case "date" -> date != null ? date : upstream(h, lower);
            case "content-type", "content-length", "last-modified", "location" -> joined(h, lower);
            case "transfer-encoding" -> chunked ? "chunked" : null;
            case "connection" -> upgrade ? joined(h, lower) : close ? "close" : "keep-alive";
            case "upgrade" -> upgrade ? joined(h, lower) : null;
            case "via" -> conf.via() ? SentHeaders.join(upstream(h, lower), via()) : upstream(h, lower);
            default -> upstream(h, lower);
        };
        return SentHeaders.find(added, lower, found);
    }

    /** An upstream header's value as the client got it, or null when it was not passed on. */
    private String upstream(HttpHeaders h, String lower) {
        return passes(lower) ? joined(h, lower) : null;
    }

    private static String joined(HttpHeaders h, String name) {
        String found = null;
        for (String v : h.getAll(name)) {
            found = SentHeaders.join(found, v);
        }
        return found;
    }

    private static void copy(ByteBuf b, HttpHeaders h, String name) {
        if (!h.contains(name)) {
            // most responses lack some of these: no list for them
            return;
        }
        for (String v : h.getAll(name)) {
            UpstreamHead.header(b, name, v);
        }
    }
}
