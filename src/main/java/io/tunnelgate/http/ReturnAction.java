package io.tunnelgate.http;

import io.tunnelgate.script.ComplexValue;

/**
 * nginx's {@code return}: {@code return code}, {@code return code text},
 * {@code return 301|302|303|307|308 URL}, {@code return URL} (302), and {@code return 444}
 * (close without a response). Used as a location's content handler and in the server-rewrite
 * phase.
 *
 * @param text the body text or redirect URL (variables allowed), or null
 */
public record ReturnAction(int code, ComplexValue<Request> text) implements ContentHandler {

    /** True for the codes whose argument is a URL. */
    public static boolean isRedirect(int code) {
        return code == 301 || code == 302 || code == 303 || code == 307 || code == 308;
    }

    @Override
    public void handle(Request req, Exchange ex) {
        if (code == StatusText.NO_RESPONSE) {
            ex.closeWithoutResponse(req, code);
            return;
        }
        if (text == null) {
            ex.sendError(req, code);
            return;
        }
        boolean close = KeepAlive.closes(req, code);
        String value = text.evaluate(req);
        if (isRedirect(code)) {
            ex.send(req, Responses.redirect(req, code, absolute(req, value), close));
        } else {
            ex.send(req, Responses.text(req, code, value, close));
        }
    }

    /** A relative redirect becomes absolute with the request's host and port (absolute_redirect on). */
    private static String absolute(Request req, String url) {
        if (!url.startsWith("/")) {
            return url;
        }
        int port = req.connection().localPort();
        return "http://" + req.hostName() + (port == 80 ? "" : ":" + port) + url;
    }
}
