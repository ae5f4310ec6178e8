package io.tunnelgate.http;

/**
 * nginx's reason phrases and built-in error-page titles, which differ from the RFC ones in places
 * ("Not Allowed", "Moved Temporarily", "Gateway Time-out").
 */
final class StatusText {
    /** nginx's code for "request header too large": page title differs, status line says 400. */
    static final int REQUEST_HEADER_TOO_LARGE = 494;
    /** nginx's code for "close the connection without a response". */
    static final int NO_RESPONSE = 444;
    /** nginx's code for "client closed the request". */
    static final int CLIENT_CLOSED = 499;

    private StatusText() {
    }

    /** The reason phrase for the status line, or "" when nginx has none. */
    static String reason(int status) {
        return switch (status) {
            case 100 -> "Continue";
            case 101 -> "Switching Protocols";
            case 200 -> "OK";
            case 201 -> "Created";
            case 202 -> "Accepted";
            case 204 -> "No Content";
            case 206 -> "Partial Content";
            case 301 -> "Moved Permanently";
            case 302 -> "Moved Temporarily";
            case 303 -> "See Other";
            case 304 -> "Not Modified";
            case 307 -> "Temporary Redirect";
            case 308 -> "Permanent Redirect";
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 402 -> "Payment Required";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Not Allowed";
            case 406 -> "Not Acceptable";
            case 407 -> "Proxy Authentication Required";
            case 408 -> "Request Time-out";
            case 409 -> "Conflict";
            case 410 -> "Gone";
            case 411 -> "Length Required";
            case 412 -> "Precondition Failed";
            case 413 -> "Request Entity Too Large";
            case 414 -> "Request-URI Too Large";
            case 415 -> "Unsupported Media Type";
            case 416 -> "Requested Range Not Satisfiable";
            case 421 -> "Misdirected Request";
            case 429 -> "Too Many Requests";
            case 500 -> "Internal Server Error";
            case 501 -> "Not Implemented";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Temporarily Unavailable";
            case 504 -> "Gateway Time-out";
            case 505 -> "HTTP Version Not Supported";
            case 507 -> "Insufficient Storage";
            default -> "";
        };
    }

    /**
     * The title of nginx's built-in page for an error status, or null if nginx has no page. nginx
     * has no page for 407 (it never answers it itself); Tunnelgate's proxy authentication does, so
     * it gets one in the same shape, titled with its reason phrase.
     */
    static String pageTitle(int status) {
        if (status == REQUEST_HEADER_TOO_LARGE) {
            return "400 Request Header Or Cookie Too Large";
        }
        if (status == 401) {
            // nginx's page keeps the older name of the status
            return "401 Authorization Required";
        }
        if (status < 300 || status == 304 || status == NO_RESPONSE || status == CLIENT_CLOSED) {
            return null;
        }
        String reason = reason(status);
        return reason.isEmpty() ? null : status + " " + reason;
    }

    /** The status nginx puts on the wire for an internal code (494 goes out as 400). */
    static int wireStatus(int status) {
        return status == REQUEST_HEADER_TOO_LARGE ? 400 : status;
    }
}
