package io.tunnelgate.http;

/**
 * The request-target of a request line, parsed the way nginx (with the proxy_connect core patch)
 * parses it.
 *
 * @param host CONNECT: {@code $connect_host} (lower case, one trailing dot removed, IPv6 brackets
 *     kept); absolute-form: the URI's host; origin-form: null
 * @param portText CONNECT: the port as written ({@code 0443}); absolute-form: the port as written or
 *     null; origin-form: null
 * @param port the numeric port (absolute-form without port: 80; origin-form: 0)
 * @param path the URI path as sent, without arguments ("" for CONNECT)
 * @param args the query string without {@code ?}, or "" (nginx's {@code $args})
 * @param normalizedPath the path with %XX decoded, {@code //} merged and dot segments resolved, for
 *     location matching ({@code $uri}); "" for CONNECT
 */
public record RequestTarget(Form form, String host, String portText, int port, String path, String args,
                            String normalizedPath) {
    /** The three request-target forms a forward proxy sees. */
    public enum Form {
        /** {@code CONNECT host:port}. */
        AUTHORITY,
        /** {@code GET http://host:port/path}. */
        ABSOLUTE,
        /** {@code GET /path}. */
        ORIGIN
    }

    /** True if there are arguments, which is when nginx's {@code $is_args} is {@code ?}. */
    public boolean hasArgs() {
        return !args.isEmpty();
    }
}
