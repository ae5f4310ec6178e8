package io.tunnelgate.http;

import io.netty.handler.codec.PrematureChannelClosureException;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.tunnelgate.log.LogLevel;

/**
 * The start of every request (spec §3.3): validate the head, choose the server, and post-read
 * (405 for a CONNECT to a server without {@code proxy_connect}, else the module's context); then
 * {@link Phases} runs the rest.
 */
final class RequestProcessor {
    private RequestProcessor() {
    }

    static void process(Request req, Exchange ex) {
        if (postRead(req, ex)) {
            new Phases(req, ex).run();
        }
    }

    /**
     * Everything before the phases: validation, the request-target, the server, keep-alive and
     * the CONNECT module's context. Separate from {@link #process} so that the benchmarks under
     * {@code bench/jmh} measure exactly this per-request work.
     *
     * @return false when the request was answered (refused) here
     */
    static boolean postRead(Request req, Exchange ex) {
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
            return false;
        }
        req.target(target);
        selectServer(req, target);
        req.keepAlive(KeepAlive.requested(req.head(), req.serverConf().timeouts()));

        if (req.isConnect()) {
            // a CONNECT never gets a location: the server's keepalive limits count
            KeepAlive.applyLimits(req);
            ContentHandler connect = req.serverConf().connectHandler();
            if (connect == null) {
                info(req, "proxy_connect: client sent connect method");
                ex.sendError(req, 405);
                return false;
            }
            connect.postRead(req);
        }
        return true;
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

    static void error(Request req, String message) {
        req.log(LogLevel.ERROR, message);
    }

    static void info(Request req, String message) {
        req.log(LogLevel.INFO, message);
    }
}
