package io.tunnelgate.http;

import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import java.util.List;

/**
 * nginx's request-smuggling defences on a request head, with its statuses and info messages:
 * Content-Length and Transfer-Encoding may each appear once, Content-Length is digits only,
 * Transfer-Encoding is exactly {@code chunked}, only in HTTP/1.1, and never with Content-Length.
 * Each refusal closes the connection (400 and 501 do in nginx).
 */
final class RequestFraming {
    /** nginx's off_t limit for a Content-Length value. */
    private static final long MAX_LENGTH = Long.MAX_VALUE;

    private RequestFraming() {
    }

    /**
     * Checks the framing lines of {@code head} in nginx's order: a duplicate line while the
     * headers are parsed, then the Content-Length value, then Transfer-Encoding.
     *
     * @throws BadRequestException with status 400, or 501 for an unknown Transfer-Encoding
     */
    static void check(HttpRequest head) throws BadRequestException {
        List<FramingHeaders.Line> lines = FramingHeaders.of(head.headers());
        if (lines.isEmpty()) {
            return;
        }
        FramingHeaders.Line length = null;
        FramingHeaders.Line encoding = null;
        for (FramingHeaders.Line line : lines) {
            FramingHeaders.Line previous = line.isLength() ? length : encoding;
            if (previous != null) {
                throw new BadRequestException(400, "client sent duplicate header line: \"" + line
                        + "\", previous value: \"" + previous + "\"");
            }
            if (line.isLength()) {
                length = line;
            } else {
                encoding = line;
            }
        }
        if (length != null && parseLength(length.value()) < 0) {
            throw new BadRequestException(400, "client sent invalid \"Content-Length\" header");
        }
        if (encoding != null) {
            checkEncoding(head.protocolVersion(), encoding.value(), length != null);
        }
    }

    private static void checkEncoding(HttpVersion version, String value, boolean hasLength)
            throws BadRequestException {
        if (version.majorVersion() == 1 && version.minorVersion() == 0 || version.majorVersion() < 1) {
            throw new BadRequestException(400, "client sent HTTP/1.0 request with \"Transfer-Encoding\" header");
        }
        if (!value.equalsIgnoreCase("chunked")) {
            throw new BadRequestException(501, "client sent unknown \"Transfer-Encoding\": \"" + value + "\"");
        }
        if (hasLength) {
            throw new BadRequestException(400,
                    "client sent \"Content-Length\" and \"Transfer-Encoding\" headers at the same time");
        }
    }

    /** nginx's ngx_atoof: one or more digits and no overflow, else -1. */
    static long parseLength(String value) {
        if (value.isEmpty()) {
            return -1;
        }
        long n = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9' || n > (MAX_LENGTH - (c - '0')) / 10) {
                return -1;
            }
            n = n * 10 + (c - '0');
        }
        return n;
    }
}
