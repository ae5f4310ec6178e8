package io.tunnelgate.forward;

import io.tunnelgate.http.ContentHandler;
import io.tunnelgate.http.Exchange;
import io.tunnelgate.http.Request;
import io.tunnelgate.log.LogLevel;

/**
 * The content handler of a {@code proxy_pass} location until plain-HTTP forwarding exists: a 501
 * and an error-log line that says why, rather than a silent wrong answer.
 */
final class NotForwarding implements ContentHandler {
    private final String url;

    NotForwarding(String url) {
        this.url = url;
    }

    @Override
    public void handle(Request req, Exchange ex) {
        if (req.errorLog().enabled(LogLevel.ERROR)) {
            req.errorLog().log(LogLevel.ERROR, req.connection().id(), "proxy_pass " + url
                    + ": plain-HTTP forwarding is not implemented in this version of Tunnelgate", req);
        }
        ex.sendError(req, 501);
    }
}
