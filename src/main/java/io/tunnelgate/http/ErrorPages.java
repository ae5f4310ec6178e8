package io.tunnelgate.http;

import io.netty.handler.codec.http.HttpMethod;

/**
 * The {@code error_page} part of nginx's special-response handler: every error and redirect
 * status Tunnelgate answers for a request that is not CONNECT passes through here before the
 * built-in page is sent.
 *
 * <p>As in nginx: the status is remembered as the one later responses of the request take
 * ({@code err_status}); statuses that end keep-alive end it even if the page is a 200; an error
 * page applies once per request unless {@code recursive_error_pages} is on, and not any more once
 * the limit of URI changes was reached. A URI starting with {@code /} is an internal redirect with
 * GET (HEAD stays HEAD); {@code @name} goes on in that named location of the server with the
 * request's URI, arguments and method; anything else is answered with a redirect ({@code 302}
 * unless {@code =301}, {@code =303}, {@code =307} or {@code =308} was given).
 *
 * <p>CONNECT requests keep the module's pages: the module finalizes them itself, and they never
 * have a location whose pages could apply.
 */
final class ErrorPages {
    private ErrorPages() {
    }

    /**
     * @return true when an error page took the request over (it is answered or redirected), false
     *     when the caller sends the built-in page for {@code status}
     */
    static boolean apply(Request req, int status, Exchange ex) {
        if (req.isConnect() || req.target() == null) {
            // a request whose line was refused has no URI to redirect
            return false;
        }
        req.special().errStatus(status);
        if (KeepAlive.closesAnyway(status)) {
            req.keepAlive(false);
        }
        LevelConf level = req.level();
        if (req.special().errorPageDone() || level.errorPages().isEmpty() || req.special().uriChangesExhausted()) {
            return false;
        }
        if (!level.recursiveErrorPages()) {
            req.special().errorPageDone(true);
        }
        ErrorPage page = level.errorPage(status);
        if (page == null) {
            return false;
        }
        send(req, page, ex);
        return true;
    }

    private static void send(Request req, ErrorPage page, Exchange ex) {
        if (page.overwrite() >= 0) {
            req.special().errStatus(page.overwrite());
        }
        String uri = page.uri().evaluate(req);
        if (uri.startsWith("/")) {
            String args = page.args();
            if (args == null) {
                int q = uri.indexOf('?');
                args = q < 0 ? "" : uri.substring(q + 1);
                uri = q < 0 ? uri : uri.substring(0, q);
            }
            if (!HttpMethod.HEAD.equals(req.method())) {
                req.method(HttpMethod.GET);
            }
            ex.internalRedirect(req, uri, args);
            return;
        }
        if (uri.startsWith("@")) {
            // as nginx: the method stays, unlike the internal redirect to a URI
            Phases.namedLocation(req, ex, uri);
            return;
        }
        int code = page.overwrite();
        if (!Returns.isRedirect(code)) {
            code = 302;
        }
        req.special().errStatus(code);
        ex.send(req, Responses.redirect(req, code, uri, KeepAlive.closes(req, code)));
    }
}
