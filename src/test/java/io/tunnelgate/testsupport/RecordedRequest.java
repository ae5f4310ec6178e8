package io.tunnelgate.testsupport;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * A request as an {@link HttpOrigin} received it: the head exactly as sent (request line, header lines, the
 * blank line) and the body (de-chunked if it was chunked).
 *
 * @param head the raw head, ISO-8859-1, including its line ends
 * @param body the body bytes (empty if none)
 */
public record RecordedRequest(String head, byte[] body) {

    /** Copies the body so the record stays immutable. */
    public RecordedRequest {
        body = body.clone();
    }

    /** The body bytes (a copy). */
    @Override
    public byte[] body() {
        return body.clone();
    }

    /** The request line, e.g. {@code GET /path HTTP/1.1}. */
    public String requestLine() {
        return HttpWire.startLine(head);
    }

    /** The method, e.g. {@code GET}. */
    public String method() {
        return part(0);
    }

    /** The request target as sent: origin-form {@code /path}, absolute-form {@code http://h/p}, or {@code h:p}. */
    public String target() {
        return part(1);
    }

    /** The protocol version, e.g. {@code HTTP/1.1}. */
    public String version() {
        return part(2);
    }

    /** The header lines ({@code "Name: value"}) in order, without line ends. */
    public List<String> headers() {
        return HttpWire.headerLines(head);
    }

    /** The trimmed value of the first header called {@code name} (any case), or {@code null}. */
    public String header(String name) {
        return HttpWire.header(head, name);
    }

    /** The body as UTF-8 text. */
    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /** Compares the body by content, not array identity. */
    @Override
    public boolean equals(Object other) {
        return other instanceof RecordedRequest that && head.equals(that.head) && Arrays.equals(body, that.body);
    }

    @Override
    public int hashCode() {
        return 31 * head.hashCode() + Arrays.hashCode(body);
    }

    @Override
    public String toString() {
        return "RecordedRequest[" + HttpWire.printable(head) + " + " + body.length + " body bytes]";
    }

    private String part(int i) {
        String[] parts = requestLine().split(" ", 3);
        return i < parts.length ? parts[i] : "";
    }
}
