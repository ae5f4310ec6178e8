package io.tunnelgate.http;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpMethod;
import io.tunnelgate.Version;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Encodes the responses Tunnelgate makes itself (error pages, {@code return}) in nginx's shape:
 * {@code HTTP/1.1} status line, then {@code Server}, {@code Date}, {@code Content-Type},
 * {@code Content-Length}, {@code Location}, {@code Connection}, and nginx's small HTML page.
 *
 * <p>Written as bytes rather than through Netty's encoder so the header order and the byte
 * counts in the access log are exact.
 */
public final class Responses {
    private static final ConcurrentHashMap<Integer, byte[]> PAGES = new ConcurrentHashMap<>();

    private Responses() {
    }

    /** nginx's built-in page for {@code status} (494 goes out as 400 with its own title). */
    public static Response error(Request req, int status, boolean close) {
        byte[] body = page(status, req.level().serverTokens());
        return build(req, status, body == null ? null : "text/html", body, null, close);
    }

    /**
     * {@code return code "text"}: the text as the body, typed as nginx types it (by the URI's
     * extension through {@code types}, else {@code default_type}).
     */
    public static Response text(Request req, int status, String text, boolean close) {
        return build(req, status, req.level().types().forUri(req.uri()),
                text.getBytes(StandardCharsets.ISO_8859_1), null, close);
    }

    /**
     * {@code return 30x URL}: nginx's page for the code plus a Location header (made absolute
     * when it starts with {@code /}).
     */
    public static Response redirect(Request req, int status, String location, boolean close) {
        byte[] body = page(status, req.level().serverTokens());
        return build(req, status, body == null ? null : "text/html", body, location, close);
    }

    private static Response build(Request req, int status, String contentType, byte[] body, String location,
                                  boolean close) {
        ResponseHead head = ResponseHead.of(req, req.finalStatus(status));
        int wire = head.status();
        boolean headOnly = HttpMethod.HEAD.equals(req.method());
        int bodyLen = body == null || headOnly ? 0 : body.length;
        head.contentType(contentType).location(location);
        if (body != null || wire >= 200 && wire != 204 && wire != 304) {
            head.contentLength(body == null ? 0 : body.length);
        }
        ByteBuf buf = head.encode(close, bodyLen);
        if (bodyLen > 0) {
            buf.writeBytes(body);
        }
        return new Response(buf, wire, bodyLen, close);
    }

    /** nginx's HTML page for an error status, or null when nginx sends no body for it. */
    static byte[] page(int status, boolean tokens) {
        String title = StatusText.pageTitle(status);
        if (title == null) {
            return null;
        }
        return PAGES.computeIfAbsent(tokens ? status : -status, k -> {
            String footer = tokens ? Version.PRODUCT : "tunnelgate";
            String html = "<html>\r\n<head><title>" + title + "</title></head>\r\n<body>\r\n<center><h1>"
                    + title + "</h1></center>\r\n<hr><center>" + footer + "</center>\r\n</body>\r\n</html>\r\n";
            return html.getBytes(StandardCharsets.US_ASCII);
        });
    }
}
