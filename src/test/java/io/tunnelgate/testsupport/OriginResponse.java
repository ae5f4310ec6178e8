package io.tunnelgate.testsupport;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What an {@link HttpOrigin} answers. {@code Content-Length} is added unless the headers already frame the body
 * ({@code Content-Length} or {@code Transfer-Encoding}: then the body is written verbatim, e.g. pre-chunked), or
 * the status has no body (1xx, 204, 304). Responses to {@code HEAD} send the head only.
 *
 * @param status  the status code
 * @param reason  the reason phrase
 * @param headers header lines {@code "Name: value"}, in order
 * @param body    the body bytes
 */
public record OriginResponse(int status, String reason, List<String> headers, byte[] body) {

    private static final Map<Integer, String> REASONS = Map.ofEntries(
            Map.entry(200, "OK"), Map.entry(201, "Created"), Map.entry(204, "No Content"),
            Map.entry(301, "Moved Permanently"), Map.entry(302, "Found"), Map.entry(304, "Not Modified"),
            Map.entry(400, "Bad Request"), Map.entry(401, "Unauthorized"), Map.entry(403, "Forbidden"),
            Map.entry(404, "Not Found"), Map.entry(405, "Not Allowed"),
            Map.entry(407, "Proxy Authentication Required"), Map.entry(500, "Internal Server Error"),
            Map.entry(502, "Bad Gateway"), Map.entry(503, "Service Unavailable"), Map.entry(504, "Gateway Timeout"));

    /** Copies headers and body so the record stays immutable. */
    public OriginResponse {
        headers = List.copyOf(headers);
        body = body.clone();
    }

    /** {@code 200 OK} with a UTF-8 text body. */
    public static OriginResponse ok(String body) {
        return of(200, body);
    }

    /** {@code status} with its usual reason phrase and a UTF-8 text body. */
    public static OriginResponse of(int status, String body) {
        return new OriginResponse(status, REASONS.getOrDefault(status, "Status " + status), List.of(),
                body.getBytes(StandardCharsets.UTF_8));
    }

    /** The body bytes (a copy). */
    @Override
    public byte[] body() {
        return body.clone();
    }

    /** A copy with header {@code name: value} appended. */
    public OriginResponse withHeader(String name, String value) {
        List<String> more = new ArrayList<>(headers);
        more.add(name + ": " + value);
        return new OriginResponse(status, reason, more, body);
    }

    /** A copy with {@code body} instead. */
    public OriginResponse withBody(byte[] body) {
        return new OriginResponse(status, reason, headers, body);
    }

    /** The trimmed value of the first header called {@code name} (any case), or {@code null}. */
    public String header(String name) {
        return HttpWire.header(headBlock(), name);
    }

    boolean hasConnectionClose() {
        return HttpWire.hasToken(headBlock(), "Connection", "close");
    }

    /** Writes status line, headers (adding framing and connection headers as needed) and body. */
    void writeTo(OutputStream out, RecordedRequest request, boolean closing) throws IOException {
        StringBuilder head = new StringBuilder("HTTP/1.1 ").append(status).append(' ').append(reason).append("\r\n");
        headers.forEach(line -> head.append(line).append("\r\n"));
        boolean bodyAllowed = status >= 200 && status != 204 && status != 304;
        if (bodyAllowed && header("Content-Length") == null && header("Transfer-Encoding") == null) {
            head.append("Content-Length: ").append(body.length).append("\r\n");
        }
        if (header("Connection") == null) {
            if (closing) {
                head.append("Connection: close\r\n");
            } else if (!"HTTP/1.1".equals(request.version())) {
                head.append("Connection: keep-alive\r\n");
            }
        }
        out.write(head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
        if (bodyAllowed && !"HEAD".equals(request.method())) {
            out.write(body);
        }
    }

    /** The headers as a head block, so {@link HttpWire}'s header lookups apply. */
    private String headBlock() {
        return "HTTP/1.1 " + status + "\r\n" + String.join("\r\n", headers) + "\r\n\r\n";
    }

    /** Compares the body by content, not array identity. */
    @Override
    public boolean equals(Object other) {
        return other instanceof OriginResponse that && status == that.status && reason.equals(that.reason)
                && headers.equals(that.headers) && Arrays.equals(body, that.body);
    }

    @Override
    public int hashCode() {
        return Objects.hash(status, reason, headers) * 31 + Arrays.hashCode(body);
    }

    @Override
    public String toString() {
        return "OriginResponse[" + status + " " + reason + ", " + headers + ", " + body.length + " body bytes]";
    }
}
