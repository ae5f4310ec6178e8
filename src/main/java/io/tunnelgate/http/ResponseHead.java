package io.tunnelgate.http;

import io.netty.buffer.ByteBuf;
import io.tunnelgate.Version;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The head of a response Tunnelgate writes itself, in the order nginx's header filter writes it:
 * status line, {@code Server}, {@code Date}, {@code Content-Type}, {@code Content-Length},
 * {@code Last-Modified}, {@code Location}, {@code Connection}, then the other headers in the order
 * they were added ({@code ETag}, {@code Accept-Ranges}, {@code Content-Range} ...), then the
 * headers the request collected ({@link Request#addOutHeader}), then {@code Proxy-Status} when the
 * response answers a proxy failure ({@link Request#proxyStatus(ProxyStatus)}), then the level's
 * {@code add_header}s.
 *
 * <p>As in nginx, {@code Last-Modified} is sent only with 200, 206 and 304, and a {@code Location}
 * starting with {@code /} is made absolute with the request's host and port.
 */
public final class ResponseHead implements SentHeaders {
    private static final String[] MONTHS = {
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    private static final String[] DAYS = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};

    private final Request req;
    private final int status;
    private String contentType;
    private long contentLength = -1;
    private long lastModified = -1;
    private String location;
    private final List<String> extra = new ArrayList<>(4);
    /** What {@link #encode} wrote that was not set before it, for {@link #get}. */
    private String server;
    private String date;
    private boolean close;
    private ProxyStatus proxyStatus;
    private List<String> added = List.of();

    private ResponseHead(Request req, int status) {
        this.req = req;
        this.status = StatusText.wireStatus(status);
    }

    /** A head for {@code status} as it goes on the wire (494 becomes 400). */
    public static ResponseHead of(Request req, int status) {
        return new ResponseHead(req, status);
    }

    /** The status on the status line. */
    public int status() {
        return status;
    }

    public ResponseHead contentType(String type) {
        this.contentType = type;
        return this;
    }

    /** {@code Content-Length}; negative for none. */
    public ResponseHead contentLength(long length) {
        this.contentLength = length;
        return this;
    }

    /** {@code Last-Modified} in epoch seconds. */
    public ResponseHead lastModified(long epochSecond) {
        this.lastModified = epochSecond;
        return this;
    }

    public ResponseHead location(String url) {
        this.location = url;
        return this;
    }

    /** A header after {@code Connection}, in the order of the calls. */
    public ResponseHead header(String name, String value) {
        extra.add(name);
        extra.add(value);
        return this;
    }

    /** Encodes the head (ending with the empty line) into a buffer the caller owns. */
    public ByteBuf encode(boolean close, int bodyCapacity) {
        ByteBuf buf = req.connection().channel().alloc().buffer(256 + bodyCapacity);
        ascii(buf, "HTTP/1.1 ");
        buf.writeByte('0' + status / 100 % 10).writeByte('0' + status / 10 % 10).writeByte('0' + status % 10);
        buf.writeByte(' ');
        ascii(buf, StatusText.reason(status));
        crlf(buf);
        server = req.level().serverTokens() ? Version.PRODUCT : "tunnelgate";
        date = req.connection().services().clock().httpDate();
        this.close = close;
        header(buf, "Server", server);
        header(buf, "Date", date);
        if (contentType != null) {
            header(buf, "Content-Type", contentType);
        }
        if (contentLength >= 0) {
            header(buf, "Content-Length", Long.toString(contentLength));
        }
        if (lastModified >= 0 && (status == 200 || status == 206 || status == 304)) {
            header(buf, "Last-Modified", httpDate(lastModified));
        }
        if (location != null) {
            header(buf, "Location", absolute(location));
        }
        header(buf, "Connection", close ? "close" : "keep-alive");
        headers(buf, extra);
        headers(buf, req.outHeaders());
        proxyStatus = req.proxyStatus();
        if (proxyStatus != null) {
            header(buf, "Proxy-Status", proxyStatus.headerValue());
        }
        added = AddHeader.evaluate(req, status);
        headers(buf, added);
        crlf(buf);
        req.sentHeaders(this);
        return buf;
    }

    @Override
    public String get(String name) {
        String fixed = switch (name.toLowerCase(Locale.ROOT)) {
            case "server" -> server;
            case "date" -> date;
            case "content-type" -> contentType;
            case "content-length" -> contentLength >= 0 ? Long.toString(contentLength) : null;
            case "last-modified" -> lastModified >= 0 && (status == 200 || status == 206 || status == 304)
                    ? httpDate(lastModified) : null;
            case "location" -> location == null ? null : absolute(location);
            case "connection" -> close ? "close" : "keep-alive";
            case "proxy-status" -> proxyStatus == null ? null : proxyStatus.headerValue();
            default -> null;
        };
        if (fixed != null) {
            return fixed;
        }
        return SentHeaders.find(added, name, SentHeaders.find(req.outHeaders(), name,
                SentHeaders.find(extra, name, null)));
    }

    private static void headers(ByteBuf buf, List<String> pairs) {
        for (int i = 0; i < pairs.size(); i += 2) {
            header(buf, pairs.get(i), pairs.get(i + 1));
        }
    }

    /** A relative redirect becomes absolute with the request's host and port (absolute_redirect on). */
    private String absolute(String url) {
        if (!url.startsWith("/")) {
            return url;
        }
        int port = req.connection().localPort();
        return "http://" + req.hostName() + (port == 80 || port == 0 ? "" : ":" + port) + url;
    }

    /** An HTTP date (RFC 1123, GMT) for epoch seconds, as nginx writes Last-Modified. */
    public static String httpDate(long epochSecond) {
        LocalDateTime t = LocalDateTime.ofEpochSecond(epochSecond, 0, ZoneOffset.UTC);
        return DAYS[t.getDayOfWeek().getValue() - 1] + ", " + two(t.getDayOfMonth()) + ' '
                + MONTHS[t.getMonthValue() - 1] + ' ' + t.getYear() + ' ' + two(t.getHour()) + ':'
                + two(t.getMinute()) + ':' + two(t.getSecond()) + " GMT";
    }

    private static String two(int v) {
        return v < 10 ? "0" + v : Integer.toString(v);
    }

    private static void ascii(ByteBuf buf, String s) {
        buf.writeCharSequence(s, StandardCharsets.ISO_8859_1);
    }

    private static void crlf(ByteBuf buf) {
        buf.writeByte('\r').writeByte('\n');
    }

    private static void header(ByteBuf buf, String name, String value) {
        ascii(buf, name);
        buf.writeByte(':').writeByte(' ');
        ascii(buf, value);
        crlf(buf);
    }
}
