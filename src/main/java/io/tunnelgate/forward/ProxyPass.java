package io.tunnelgate.forward;

import io.tunnelgate.http.Request;
import io.tunnelgate.script.ComplexValue;
import io.tunnelgate.upstream.UpstreamRef;
import java.util.Locale;

/**
 * The argument of {@code proxy_pass}: a static {@code http://host[:port][/uri]}, or a URL with
 * variables evaluated per request.
 *
 * @param source the URL as written
 * @param value the URL with variables, else null (static)
 * @param target the static URL parsed, else null
 * @param ref the upstream group of the static URL (an upstream block, or the host's addresses
 *     resolved at load), else null
 * @param requestPort a variable URL whose authority is exactly {@code $host}: the request's port
 *     is kept when the URL gives none (nginx would send it to port 80, see docs/forwarding.md)
 */
record ProxyPass(String source, ComplexValue<Request> value, Url target, UpstreamRef ref, boolean requestPort) {

    /**
     * A parsed {@code http://} URL.
     *
     * @param host the host as written, lower-cased, IPv6 without brackets
     * @param port the port, 80 when none was given
     * @param portGiven whether the URL had a port
     * @param uri the URI part ({@code /...}), or null when the URL had none
     */
    record Url(String host, int port, boolean portGiven, String uri) {
        /** nginx's {@code $proxy_host}: the host, with the port when one was given and is not 80. */
        String proxyHost() {
            String h = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
            return portGiven && port != 80 ? h + ":" + port : h;
        }

        /** Parses {@code http://host[:port][/uri]}; the message says what is wrong, as nginx's does. */
        static Url parse(String url) throws InvalidUrl {
            String lower = url.toLowerCase(Locale.ROOT);
            if (lower.startsWith("https://")) {
                throw new InvalidUrl("https upstreams are not supported (use plain http:// to the origin)");
            }
            if (!lower.startsWith("http://")) {
                throw new InvalidUrl("invalid URL prefix in \"" + url + "\"");
            }
            String rest = url.substring(7);
            int slash = rest.indexOf('/');
            int q = rest.indexOf('?');
            int end = slash < 0 ? (q < 0 ? rest.length() : q) : (q < 0 ? slash : Math.min(slash, q));
            String authority = rest.substring(0, end);
            String uri = end == rest.length() ? null : rest.substring(end);
            if (uri != null && uri.startsWith("?")) {
                uri = "/" + uri;
            }
            if (authority.isEmpty()) {
                throw new InvalidUrl("no host in \"" + url + "\"");
            }
            if (authority.startsWith("unix:")) {
                throw new InvalidUrl("unix: upstreams are not supported");
            }
            String host = authority;
            int port = 80;
            boolean portGiven = false;
            int colon = authority.lastIndexOf(':');
            int bracket = authority.lastIndexOf(']');
            if (colon > bracket) {
                host = authority.substring(0, colon);
                port = port(authority.substring(colon + 1), url);
                portGiven = true;
            }
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            if (host.isEmpty()) {
                throw new InvalidUrl("no host in \"" + url + "\"");
            }
            return new Url(host.toLowerCase(Locale.ROOT), port, portGiven, uri);
        }

        private static int port(String text, String url) throws InvalidUrl {
            if (text.isEmpty() || text.length() > 5 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
                throw new InvalidUrl("invalid port in \"" + url + "\"");
            }
            int port = Integer.parseInt(text);
            if (port < 1 || port > 65535) {
                throw new InvalidUrl("invalid port in \"" + url + "\"");
            }
            return port;
        }
    }

    /** A URL that cannot be proxied to; the message is nginx's wording where it has one. */
    static final class InvalidUrl extends Exception {
        InvalidUrl(String message) {
            super(message, null, false, false);
        }
    }
}
