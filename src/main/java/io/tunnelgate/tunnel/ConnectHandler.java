package io.tunnelgate.tunnel;

import io.tunnelgate.http.ContentHandler;
import io.tunnelgate.http.Exchange;
import io.tunnelgate.http.ProxyError;
import io.tunnelgate.http.Request;
import io.tunnelgate.http.RequestTarget;
import io.tunnelgate.log.LogLevel;

/**
 * The CONNECT content handler {@code proxy_connect} installs on a server (spec §3.4-3.6): checks
 * the port and the host policy ({@code destination_host_allow/deny}), picks the target, and hands
 * the connection to a {@link ConnectPhase} that resolves and connects. Refusals decided here keep the connection alive per nginx's rules; everything after
 * the hand-over closes it.
 */
final class ConnectHandler implements ContentHandler {
    private final TunnelConf conf;

    ConnectHandler(TunnelConf conf) {
        this.conf = conf;
    }

    @Override
    public void postRead(Request req) {
        req.set(ConnectContext.KEY, new ConnectContext(conf));
    }

    @Override
    public void handle(Request req, Exchange ex) {
        ConnectContext cc = req.get(ConnectContext.KEY);
        RequestTarget target = req.target();
        if (!conf.ports().allows(target.port())) {
            conf.guard().fail(req, ProxyError.HTTP_REQUEST_DENIED, "port not allowed by proxy_connect_allow");
            ex.sendError(req, 403);
            return;
        }
        if (conf.guard().hostDenied(req, target.host())) {
            ex.sendError(req, 403);
            return;
        }
        String value = conf.address() == null ? "" : conf.address().evaluate(req);
        if (value.isEmpty() || value.equals("off")) {
            // no override: the request-line host ("off" is "none", as the module's README says)
            value = target.host();
        }
        TargetSpec spec;
        try {
            spec = TargetSpec.parse(value, target.port());
        } catch (TargetSpec.InvalidTarget e) {
            error(req, "proxy_connect: " + e.getMessage() + " in connect host \"" + value + "\"");
            conf.guard().fail(req, ProxyError.PROXY_CONFIGURATION_ERROR, e.getMessage() + " in proxy_connect_address");
            ex.sendError(req, 403);
            return;
        }
        cc.upstreamStarted = true;
        cc.handlerStartNanos = req.connection().services().nanoTime().getAsLong();
        if (spec.literal() == null && conf.resolver() == null) {
            error(req, "proxy_connect: no resolver defined to resolve " + target.host());
            conf.guard().fail(req, ProxyError.PROXY_CONFIGURATION_ERROR, "no resolver defined");
            ex.sendError(req, 502);
            return;
        }
        ConnectPhase phase = new ConnectPhase(req, cc, conf);
        ex.detach(phase);
        phase.start(spec);
    }

    static void error(Request req, String message) {
        req.log(LogLevel.ERROR, message);
    }

    static void info(Request req, String message) {
        req.log(LogLevel.INFO, message);
    }
}
