package io.tunnelgate.auth;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.tunnelgate.http.Request;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

/**
 * Basic credentials from a request, read as nginx's {@code ngx_http_auth_basic_user} reads them:
 * {@code Basic} (any case), spaces, base64 of {@code user:password}; an empty user or no colon
 * means none. A proxy request (CONNECT, or an absolute-form target) reads
 * {@code Proxy-Authorization}, any other {@code Authorization}.
 *
 * @param user the user name's bytes as ISO-8859-1 text
 * @param password the password's bytes; never logged, never kept past the check
 */
record Credentials(String user, byte[] password) {
    private static final String BASIC = "Basic ";

    /** The credentials the request carries in the header that applies to it, or null. */
    static Credentials of(Request req) {
        return parse(req.headers().get(req.isProxyRequest()
                ? HttpHeaderNames.PROXY_AUTHORIZATION : HttpHeaderNames.AUTHORIZATION));
    }

    /** Parses a header value; null when it holds no usable Basic credentials. */
    static Credentials parse(String header) {
        if (header == null || !header.regionMatches(true, 0, BASIC, 0, BASIC.length())) {
            return null;
        }
        int start = BASIC.length();
        while (start < header.length() && header.charAt(start) == ' ') {
            start++;
        }
        if (start == header.length()) {
            return null;
        }
        byte[] decoded;
        try {
            decoded = Base64.getDecoder().decode(header.substring(start));
        } catch (IllegalArgumentException e) {
            return null;
        }
        int colon = 0;
        while (colon < decoded.length && decoded[colon] != ':') {
            colon++;
        }
        if (colon == 0 || colon == decoded.length) {
            return null;
        }
        String user = new String(decoded, 0, colon, StandardCharsets.ISO_8859_1);
        byte[] password = Arrays.copyOfRange(decoded, colon + 1, decoded.length);
        Arrays.fill(decoded, (byte) 0);
        return new Credentials(user, password);
    }

    /** Overwrites the password once it is no longer needed. */
    void forget() {
        Arrays.fill(password, (byte) 0);
    }

    @Override
    public String toString() {
        // a record prints every component; the password must never reach a log
        return "Credentials[user=" + user + "]";
    }
}
