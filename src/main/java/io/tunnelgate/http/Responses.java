package io.tunnelgate.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
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
    private static final byte[] CRLF = {'\r', '\n'};

    private Responses() {
    }

    /** nginx's built-in page for {@code status} (494 goes out as 400 with its own title). */
    public static Response error(Request req, int status, boolean close) {
        byte[] body = page(status, req.level().serverTokens());
        return build(req, status, body == null ? null : "text/html", body, null, close);
    }

    /** {@code return code "text"}: the text as a text/plain body. */
    public static Response text(Request req, int status, String text, boolean close) {
        return build(req, status, "text/plain", text.getBytes(StandardCharsets.ISO_8859_1), null, close);
    }

    /** {@code return 30x URL}: nginx's page for the code plus a Location header. */
    public static Response redirect(Request req, int status, String location, boolean close) {
        byte[] body = page(status, req.level().serverTokens());
        return build(req, status, body == null ? null : "text/html", body, location, close);
    }

    private static Response build(Request req, int status, String contentType, byte[] body, String location,
                                  boolean close) {
        int wire = StatusText.wireStatus(status);
        boolean headOnly = HttpMethod.HEAD.equals(req.method());
        int bodyLen = body == null || headOnly ? 0 : body.length;
        ByteBufAllocator alloc = req.connection().channel().alloc();
        ByteBuf buf = alloc.buffer(256 + bodyLen);
        ascii(buf, "HTTP/1.1 ");
        buf.writeByte('0' + wire / 100 % 10).writeByte('0' + wire / 10 % 10).writeByte('0' + wire % 10);
        buf.writeByte(' ');
        ascii(buf, StatusText.reason(wire));
        buf.writeBytes(CRLF);
        header(buf, "Server", req.level().serverTokens() ? Version.PRODUCT : "tunnelgate");
        header(buf, "Date", req.connection().services().clock().httpDate());
        if (contentType != null) {
            header(buf, "Content-Type", contentType);
        }
        if (body != null || wire >= 200 && wire != 204 && wire != 304) {
            header(buf, "Content-Length", Integer.toString(body == null ? 0 : body.length));
        }
        if (location != null) {
            header(buf, "Location", location);
        }
        header(buf, "Connection", close ? "close" : "keep-alive");
        buf.writeBytes(CRLF);
        if (bodyLen > 0) {
            buf.writeBytes(body);
        }
        return new Response(buf, wire, bodyLen, close);
    }

    private static void ascii(ByteBuf buf, String s) {
        buf.writeCharSequence(s, StandardCharsets.ISO_8859_1);
    }

    private static void header(ByteBuf buf, String name, String value) {
        buf.writeCharSequence(name, StandardCharsets.ISO_8859_1);
        buf.writeByte(':');
        buf.writeByte(' ');
        buf.writeCharSequence(value, StandardCharsets.ISO_8859_1);
        buf.writeBytes(CRLF);
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
