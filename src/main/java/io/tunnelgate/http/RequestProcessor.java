package io.tunnelgate.http;

import io.netty.handler.codec.PrematureChannelClosureException;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.tunnelgate.log.LogLevel;

/**
 * Runs a request through nginx's phases, in the order the proxy_connect module sees them
 * (spec §3.3): read and validate the head, choose the server, post-read (405 for CONNECT without
 * {@code proxy_connect}; the module's context), server rewrite ({@code return}), content (the
 * CONNECT handler, or a location's handler, never a location for CONNECT).
 */
final class RequestProcessor {
    private RequestProcessor() {
    }

    static void process(Request req, Exchange ex) {
        ClientLimits limits = req.serverConf().timeouts();
        RequestTarget target;
        try {
            target = RequestValidator.validate(req.head(), limits);
        } catch (BadRequestException e) {
            info(req, e.getMessage());
            if (req.head().decoderResult().cause() instanceof PrematureChannelClosureException) {
                // the client is gone: nginx logs the request but sends nothing
                ex.closeWithoutResponse(req, e.status());
            } else {
                ex.sendError(req, e.status());
            }
            return;
        }
        req.target(target);
        selectServer(req, target);
        req.keepAlive(KeepAlive.requested(req.head(), req.serverConf().timeouts()));
        ServerConf server = req.serverConf();

        ContentHandler connect = null;
        if (req.isConnect()) {
            connect = server.connectHandler();
            if (connect == null) {
                info(req, "proxy_connect: client sent connect method");
                ex.sendError(req, 405);
                return;
            }
            connect.postRead(req);
        }
        if (server.serverReturn() != null) {
            server.serverReturn().handle(req, ex);
            return;
        }
        if (connect != null) {
            connect.handle(req, ex);
            return;
        }
        serveLocation(req, ex, target);
    }

    /**
     * The server is chosen by the request-line host of an absolute-form request, else by the Host
     * header (also for CONNECT, whose request-line host is not used: spec §3.2).
     */
    private static void selectServer(Request req, RequestTarget target) {
        String host = target.form() == RequestTarget.Form.ABSOLUTE ? target.host() : null;
        if (host == null) {
            String header = req.headers().get(HttpHeaderNames.HOST);
            host = header == null ? null : HostNames.validate(header);
        }
        req.serverConf(req.connection().hosts().select(host));
        if (host != null) {
            req.hostName(host);
        }
    }

    private static void serveLocation(Request req, Exchange ex, RequestTarget target) {
        LocationConf location = req.serverConf().locations().find(target.normalizedPath());
        if (location != null) {
            req.level(location.level());
            if (location.handler() != null) {
                location.handler().handle(req, ex);
                return;
            }
        }
        // nginx's static handler would look for a file under root; Tunnelgate serves no files
        ex.sendError(req, 404);
    }

    static void info(Request req, String message) {
        if (req.errorLog().enabled(LogLevel.INFO)) {
            req.errorLog().log(LogLevel.INFO, req.connection().id(), message, req);
        }
    }
}
