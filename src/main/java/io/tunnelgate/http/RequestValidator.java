package io.tunnelgate.http;

import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.PrematureChannelClosureException;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Checks a decoded request head the way nginx's request-line and header parsers do, and maps
 * every refusal to nginx's status and info-level log message (spec §3.1, §3.2).
 */
final class RequestValidator {
    private RequestValidator() {
    }

    /**
     * Validates the head and parses its request-target.
     *
     * @throws BadRequestException with status 400, 414, 494 (header too large) or 505
     */
    static RequestTarget validate(HttpRequest head, ClientLimits limits) throws BadRequestException {
        DecoderResult result = head.decoderResult();
        // a folded header line is found once the request line, which nginx checks first, was read
        boolean folded = result.cause() instanceof RequestDecoder.FoldedLineException;
        if (result.isFailure() && !folded) {
            // Netty refuses some framing itself (duplicate or invalid Content-Length, Content-Length
            // with Transfer-Encoding ...) without naming nginx's rule: the recorded lines do
            throw explicable(result.cause()) ? framingOr(head, decoderFailure(result.cause()))
                    : decoderFailure(result.cause());
        }
        checkMethod(head.method().name());
        HttpVersion version = head.protocolVersion();
        if (!"HTTP".equals(version.protocolName())) {
            throw new BadRequestException(400, "client sent invalid request");
        }
        if (version.majorVersion() > 1) {
            throw new BadRequestException(505, "client sent unsupported HTTP version");
        }
        RequestTarget target = head.method().name().equals("CONNECT")
                ? TargetParser.connect(head.uri()) : TargetParser.uri(head.uri());
        if (folded) {
            throw decoderFailure(result.cause());
        }
        checkHeaderLines(head, limits);
        checkHost(head);
        RequestFraming.check(head);
        return target;
    }

    /** Whether a decoder failure may stem from a head's framing lines rather than its request line. */
    private static boolean explicable(Throwable cause) {
        return !(cause instanceof TooLongHttpLineException || cause instanceof TooLongHttpHeaderException
                || cause instanceof RequestDecoder.InvalidMethodException
                || cause instanceof PrematureChannelClosureException);
    }

    /** nginx's refusal of the head's framing lines if there is one, else {@code otherwise}. */
    private static BadRequestException framingOr(HttpRequest head, BadRequestException otherwise) {
        try {
            RequestFraming.check(head);
        } catch (BadRequestException e) {
            return e;
        }
        return otherwise;
    }

    private static BadRequestException decoderFailure(Throwable cause) {
        if (cause instanceof TooLongHttpLineException) {
            return new BadRequestException(414, "client sent too long URI");
        }
        if (cause instanceof TooLongHttpHeaderException) {
            return new BadRequestException(StatusText.REQUEST_HEADER_TOO_LARGE,
                    "client sent too large request");
        }
        if (cause instanceof RequestDecoder.InvalidMethodException) {
            return new BadRequestException(400, "client sent invalid method");
        }
        if (cause instanceof RequestDecoder.FoldedLineException folded) {
            // nginx refuses a line that starts with white space (obsolete line folding) and shows
            // the byte it stopped at
            return new BadRequestException(400, "client sent invalid header line: \"\\x"
                    + String.format("%02x", folded.firstByte()) + "...\"");
        }
        if (cause instanceof PrematureChannelClosureException) {
            // the decoder reports this only once the request line was read
            return new BadRequestException(400,
                    "client prematurely closed connection while reading client request headers");
        }
        String msg = cause.getMessage();
        if (msg != null && msg.contains("HTTP/0.9")) {
            return new BadRequestException(400, "client sent invalid request");
        }
        return new BadRequestException(400, "client sent invalid request");
    }

    /** nginx methods are upper-case letters, {@code _} and {@code -}. */
    private static void checkMethod(String method) throws BadRequestException {
        for (int i = 0; i < method.length(); i++) {
            char c = method.charAt(i);
            if (!(c >= 'A' && c <= 'Z' || c == '_' || c == '-')) {
                throw new BadRequestException(400, "client sent invalid method");
            }
        }
    }

    /** A single header line longer than a large header buffer is nginx's 494. */
    private static void checkHeaderLines(HttpRequest head, ClientLimits limits) throws BadRequestException {
        Iterator<Map.Entry<CharSequence, CharSequence>> it = head.headers().iteratorCharSequence();
        while (it.hasNext()) {
            Map.Entry<CharSequence, CharSequence> e = it.next();
            if (e.getKey().length() + e.getValue().length() + 4 > limits.largeBufferSize()) {
                throw new BadRequestException(StatusText.REQUEST_HEADER_TOO_LARGE,
                        "client sent too long header line");
            }
        }
    }

    private static void checkHost(HttpRequest head) throws BadRequestException {
        List<String> hosts = head.headers().getAll(HttpHeaderNames.HOST);
        if (hosts.size() > 1) {
            throw new BadRequestException(400, "client sent duplicate host header: \"Host: " + hosts.get(1)
                    + "\", previous value: \"Host: " + hosts.get(0) + "\"");
        }
        if (hosts.isEmpty()) {
            if (head.protocolVersion().minorVersion() >= 1) {
                throw new BadRequestException(400, "client sent HTTP/1.1 request without \"Host\" header");
            }
            return;
        }
        if (HostNames.validate(hosts.get(0)) == null) {
            throw new BadRequestException(400, "client sent invalid host header");
        }
    }
}
