package io.tunnelgate.http;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpHeadersFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * Request headers that remember every {@code Content-Length} and {@code Transfer-Encoding} line as
 * the client sent it, in order. Netty's decoder folds duplicate Content-Length lines into one (and
 * refuses some framing without saying which rule), while nginx names the duplicate line and the
 * rule in its refusal: {@link RequestFraming} checks these lines instead.
 */
final class FramingHeaders extends DefaultHttpHeaders {
    /** One framing header line: its name as sent and its value. */
    record Line(String name, String value) {
        boolean isLength() {
            return HttpHeaderNames.CONTENT_LENGTH.contentEqualsIgnoreCase(name);
        }

        @Override
        public String toString() {
            return name + ": " + value;
        }
    }

    /** The decoder's header factory: Netty's validation, plus the record of framing lines. */
    static final HttpHeadersFactory FACTORY = new HttpHeadersFactory() {
        @Override
        public HttpHeaders newHeaders() {
            return new FramingHeaders();
        }

        @Override
        public HttpHeaders newEmptyHeaders() {
            return new FramingHeaders();
        }
    };

    private List<Line> lines;

    private FramingHeaders() {
        super(DefaultHttpHeadersFactory.headersFactory().getNameValidator(),
                DefaultHttpHeadersFactory.headersFactory().getValueValidator());
    }

    @Override
    public HttpHeaders add(String name, Object value) {
        super.add(name, value);
        record(name, value);
        return this;
    }

    @Override
    public HttpHeaders add(CharSequence name, Object value) {
        super.add(name, value);
        record(name, value);
        return this;
    }

    private void record(CharSequence name, Object value) {
        if (HttpHeaderNames.CONTENT_LENGTH.contentEqualsIgnoreCase(name)
                || HttpHeaderNames.TRANSFER_ENCODING.contentEqualsIgnoreCase(name)) {
            if (lines == null) {
                lines = new ArrayList<>(2);
            }
            lines.add(new Line(name.toString(), String.valueOf(value)));
        }
    }

    /** The Content-Length and Transfer-Encoding lines as received, in order. */
    List<Line> lines() {
        return lines == null ? List.of() : lines;
    }

    /** The framing lines of {@code headers}: as received if the decoder made them, else as they are now. */
    static List<Line> of(HttpHeaders headers) {
        if (headers instanceof FramingHeaders f) {
            return f.lines();
        }
        List<Line> out = new ArrayList<>();
        headers.forEach(e -> {
            if (HttpHeaderNames.CONTENT_LENGTH.contentEqualsIgnoreCase(e.getKey())
                    || HttpHeaderNames.TRANSFER_ENCODING.contentEqualsIgnoreCase(e.getKey())) {
                out.add(new Line(e.getKey(), e.getValue()));
            }
        });
        return out;
    }
}
