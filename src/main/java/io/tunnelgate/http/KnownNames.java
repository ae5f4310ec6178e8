package io.tunnelgate.http;

import io.netty.handler.codec.http.HttpMethod;
import io.netty.util.AsciiString;

/**
 * Header names (and the method) that nearly every request to a proxy carries, spelled as clients
 * send them, so the decoder can hand out one shared constant instead of a copy per request.
 * Netty's own decoder does this for Host, Accept, Connection, Content-Type and Content-Length, and
 * for GET and POST. Only an exact byte match counts: a name sent in other case is copied as
 * before, so a forwarded head keeps the client's spelling.
 */
final class KnownNames {
    private static final AsciiString[] HEADERS = {
        AsciiString.cached("User-Agent"),
        AsciiString.cached("Proxy-Connection"),
        AsciiString.cached("Proxy-Authorization"),
        AsciiString.cached("Accept-Encoding"),
        AsciiString.cached("Accept-Language"),
        AsciiString.cached("Referer"),
        AsciiString.cached("Cookie"),
        AsciiString.cached("Cache-Control"),
        AsciiString.cached("Upgrade-Insecure-Requests"),
    };
    private static final AsciiString CONNECT = AsciiString.cached(HttpMethod.CONNECT.name());

    private KnownNames() {
    }

    /** The shared constant for the header name in {@code bytes[start, start + length)}, or null. */
    static AsciiString header(byte[] bytes, int start, int length) {
        for (AsciiString name : HEADERS) {
            if (matches(name, bytes, start, length)) {
                return name;
            }
        }
        return null;
    }

    /** Whether the method in {@code bytes[start, start + length)} is CONNECT. */
    static boolean isConnect(byte[] bytes, int start, int length) {
        return matches(CONNECT, bytes, start, length);
    }

    private static boolean matches(AsciiString name, byte[] bytes, int start, int length) {
        if (name.length() != length) {
            return false;
        }
        byte[] own = name.array();
        int offset = name.arrayOffset();
        for (int i = 0; i < length; i++) {
            if (own[offset + i] != bytes[start + i]) {
                return false;
            }
        }
        return true;
    }
}
