package io.tunnelgate.http;

/**
 * A {@code Proxy-Status} field value (RFC 9209) for a response Tunnelgate generates because
 * proxying failed: one list member naming the proxy, with the error type and, where given, the
 * DNS RCODE and a human-readable detail, as a Structured Field (RFC 8941):
 * {@code tunnelgate; error=connection_refused; details="connect() failed (111: Connection refused)"}.
 *
 * @param error the error type
 * @param rcode for {@link ProxyError#DNS_ERROR}: the RCODE's name ({@code NXDOMAIN} ...), else null
 * @param details a short text for people, or null; characters outside printable ASCII become {@code ?}
 */
public record ProxyStatus(ProxyError error, String rcode, String details) {
    /** The member's name: the proxy. */
    public static final String PROXY_NAME = "tunnelgate";

    /** An error with details and no RCODE. */
    public static ProxyStatus of(ProxyError error, String details) {
        return new ProxyStatus(error, null, details);
    }

    /**
     * Records {@code http_request_denied} for a proxy request (CONNECT or absolute-form) that the
     * level's own rules refused ({@code allow}/{@code deny}, the limits), unless
     * {@code proxy_status off}. A client that addressed Tunnelgate as the origin gets no field:
     * RFC 9209 is for intermediaries.
     */
    static void requestDenied(Request req, String details) {
        if (req.isProxyRequest()) {
            of(ProxyError.HTTP_REQUEST_DENIED, details).recordOn(req);
        }
    }

    /**
     * Records this failure as the one the request is answered for, unless its level (where the
     * failure happened: the server for CONNECT, the location for proxy_pass) says
     * {@code proxy_status off}.
     */
    void recordOn(Request req) {
        if (req.level().proxyStatus()) {
            req.proxyStatus(this);
        }
    }

    /** The field value. */
    public String headerValue() {
        StringBuilder sb = new StringBuilder(64).append(PROXY_NAME).append("; error=").append(error.token());
        if (rcode != null) {
            sb.append("; rcode=");
            string(sb, rcode);
        }
        if (details != null && !details.isEmpty()) {
            sb.append("; details=");
            string(sb, details);
        }
        return sb.toString();
    }

    /** An sf-string: quoted, with {@code "} and {@code \} escaped; other bytes must be printable ASCII. */
    private static void string(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else {
                sb.append(c >= 0x20 && c < 0x7f ? c : '?');
            }
        }
        sb.append('"');
    }
}
