package io.tunnelgate.http;

/**
 * Answers a request as nginx's {@code return} does: {@code return code} sends the built-in page
 * (or the {@code error_page} for the code), {@code return code text} the text typed by
 * {@code types}/{@code default_type}, 301/302/303/307/308 a redirect to the URL (made absolute
 * when it starts with {@code /}), and {@code return 444} closes without a response.
 */
final class Returns {
    private Returns() {
    }

    /** @param text the text or URL, or null */
    static void respond(Request req, Exchange ex, int code, String text) {
        if (code == StatusText.NO_RESPONSE) {
            ex.closeWithoutResponse(req, code);
            return;
        }
        if (text == null && (code >= 400 || code < 200 || code == 204 || code == 304 || isRedirect(code))) {
            ex.sendError(req, code);
            return;
        }
        if (text == null) {
            // nginx sends a code below 400 as a response with an empty text, so with its
            // Content-Type (default_type) and Content-Length: 0
            text = "";
        }
        if (isRedirect(code)) {
            ex.sendRedirect(req, code, text);
        } else {
            ex.send(req, Responses.text(req, code, text, KeepAlive.closes(req, code)));
        }
    }

    /** True for the codes whose argument is a URL. */
    static boolean isRedirect(int code) {
        return code == 301 || code == 302 || code == 303 || code == 307 || code == 308;
    }
}
