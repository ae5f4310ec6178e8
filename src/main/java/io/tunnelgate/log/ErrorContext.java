package io.tunnelgate.log;

/**
 * What nginx's HTTP log handler appends to an error-log message about a request:
 * {@code [ while <action>], client: X, server: Y[, request: "..."][, upstream: "..."][, host: "..."][, referrer: "..."]}.
 * Values are the raw text (request-line and header bytes as ISO-8859-1 chars); the error log
 * escapes control characters itself.
 */
public interface ErrorContext {

    /** The client address, as nginx's {@code $remote_addr}. */
    String client();

    /** The name of the server block that took the request; may be empty, never null. */
    String server();

    /** The request line, without CRLF; null before one was read. */
    String request();

    /** The upstream being talked to (e.g. {@code 127.0.0.1:8081}); null when none. */
    String upstream();

    /** The Host header value; null when the request had none. */
    String host();

    /** What the connection was doing, e.g. {@code connecting to upstream}; null when nothing in particular. */
    default String action() {
        return null;
    }

    /** The Referer header value; null when none. */
    default String referrer() {
        return null;
    }
}
