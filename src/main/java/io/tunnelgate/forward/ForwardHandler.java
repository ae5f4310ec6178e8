package io.tunnelgate.forward;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.util.concurrent.Future;
import io.tunnelgate.http.ContentHandler;
import io.tunnelgate.http.Exchange;
import io.tunnelgate.http.ProxyError;
import io.tunnelgate.http.HttpVariables;
import io.tunnelgate.http.Request;
import io.tunnelgate.http.RequestTarget;
import io.tunnelgate.http.UriEscape;
import io.tunnelgate.log.LogLevel;
import io.tunnelgate.resolve.NameResolver;
import io.tunnelgate.resolve.ResolveException;
import io.tunnelgate.tunnel.ConnectErrors;
import io.tunnelgate.tunnel.IpLiterals;
import io.tunnelgate.upstream.UpstreamGroup;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The content handler of a {@code proxy_pass} location: works out the upstream URI and
 * {@code $proxy_host} as nginx does, checks the host against {@code destination_host_allow/deny},
 * finds the addresses to try (an upstream group: a block, or a
 * static URL's host resolved at load; a literal; or the configured resolver for a name in a
 * variable URL), and hands the request to a {@link ForwardExchange}.
 */
final class ForwardHandler implements ContentHandler {
    private final ForwardConf conf;

    ForwardHandler(ForwardConf conf) {
        this.conf = conf;
    }

    /** The location's settings (the benchmarks under {@code bench/jmh} encode heads with them). */
    ForwardConf conf() {
        return conf;
    }

    @Override
    public void handle(Request req, Exchange ex) {
        ProxyPass pass = conf.pass();
        ProxyPass.Url url = pass.target();
        if (url == null) {
            String value = pass.value().evaluate(req);
            try {
                url = ProxyPass.Url.parse(value);
            } catch (ProxyPass.InvalidUrl e) {
                req.log(LogLevel.ERROR, e.getMessage());
                conf.guard().fail(req, ProxyError.PROXY_CONFIGURATION_ERROR, "invalid proxy_pass URL");
                ex.sendError(req, 500);
                return;
            }
            if (!url.portGiven() && pass.requestPort()) {
                int port = requestPort(req);
                url = new ProxyPass.Url(url.host(), port, port != 80, url.uri());
            }
        }
        if (conf.guard().hostDenied(req, url.host())) {
            ex.sendError(req, 403);
            return;
        }
        String uri = uri(req, url.uri(), pass.value() != null);
        req.set(ForwardState.KEY, new ForwardState(url.proxyHost(), url.port()));
        UpstreamGroup group = pass.ref() != null ? pass.ref().group()
                : url.portGiven() ? null : conf.groups().find(url.host());
        if (group != null) {
            forward(req, ex, uri, url, new GroupRoute(group));
            return;
        }
        InetAddress literal;
        try {
            literal = IpLiterals.parse(url.host().indexOf(':') >= 0 ? "[" + url.host() + "]" : url.host());
        } catch (IpLiterals.InvalidLiteralException e) {
            req.log(LogLevel.ERROR, "invalid IPv6 address in upstream \"" + url.host() + "\"");
            conf.guard().fail(req, ProxyError.DESTINATION_NOT_FOUND, "invalid IPv6 address in upstream");
            ex.sendError(req, 502);
            return;
        }
        if (literal != null) {
            forward(req, ex, uri, url, Route.of(List.of(new InetSocketAddress(literal, url.port()))));
        } else {
            resolve(req, ex, uri, url);
        }
    }

    /**
     * A name in a variable URL is resolved at run time, as nginx does, with the location's
     * resolver; its addresses are tried as nginx tries them, from a random one on, each once,
     * the next one when {@code proxy_next_upstream} allows (and when the destination policy denies
     * one).
     */
    private void resolve(Request req, Exchange ex, String uri, ProxyPass.Url url) {
        if (conf.resolver() == null) {
            req.log(LogLevel.ERROR, "no resolver defined to resolve " + url.host());
            conf.guard().fail(req, ProxyError.PROXY_CONFIGURATION_ERROR, "no resolver defined");
            ex.sendError(req, 502);
            return;
        }
        NameResolver resolver = req.connection().services().resolvers()
                .resolver(conf.resolver(), req.connection().channel().eventLoop());
        resolver.resolveAll(url.host()).addListener((Future<List<InetAddress>> f) -> {
            if (!req.connection().channel().isActive()) {
                // the client left while the name was looked up: nginx's 499
                ForwardExchange.clientLeftEarly(req);
                return;
            }
            if (!f.isSuccess()) {
                String why = f.cause() instanceof ResolveException re ? re.getMessage() : "2: Server failure";
                String message = url.host() + " could not be resolved (" + why + ")";
                req.log(LogLevel.ERROR, message);
                conf.guard().fail(req, ConnectErrors.dnsStatus(f.cause(), message));
                ex.sendError(req, 502);
                return;
            }
            forward(req, ex, uri, url, Route.of(rotated(f.getNow(), url.port())));
        });
    }

    /** The addresses with the port, starting at a random one (nginx's resolver rotates its answers). */
    private static List<InetSocketAddress> rotated(List<InetAddress> addresses, int port) {
        int n = addresses.size();
        int first = n == 1 ? 0 : ThreadLocalRandom.current().nextInt(n);
        List<InetSocketAddress> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(new InetSocketAddress(addresses.get((first + i) % n), port));
        }
        return out;
    }

    private void forward(Request req, Exchange ex, String uri, ProxyPass.Url url, Route route) {
        new ForwardExchange(req, ex, conf, uri, url.proxyHost(), route).start();
    }

    /**
     * The URI sent upstream, by nginx's rules: a variable URL's own URI as it is; a static URI
     * part replacing the part of the URI the location matched; else the client's URI unchanged,
     * unless a rewrite changed it, when the escaped new URI and arguments go (and a static URI
     * part is then ignored, as with nginx's {@code rewrite ... break}).
     */
    static String uri(Request req, String uriPart, boolean variable) {
        if (uriPart != null && variable) {
            return uriPart;
        }
        if (req.uriRewritten() || uriPart != null && req.location() != null) {
            String path = req.uri();
            if (!req.uriRewritten()) {
                String prefix = req.location().pattern();
                path = uriPart + (path.startsWith(prefix) ? path.substring(prefix.length()) : path);
            }
            String args = req.args();
            return args.isEmpty() ? UriEscape.escape(path) : UriEscape.escape(path) + "?" + args;
        }
        String raw = HttpVariables.requestUri(req);
        return raw.isEmpty() ? "/" : raw;
    }

    /**
     * The port the client addressed: the absolute-form target's, else the Host header's, else 80.
     * Used for {@code proxy_pass http://$host}, where nginx would lose a port other than 80.
     */
    static int requestPort(Request req) {
        RequestTarget t = req.target();
        if (t != null && t.form() == RequestTarget.Form.ABSOLUTE) {
            // an absolute URL without a port has no port text at all
            return t.portText() == null || t.portText().isEmpty() ? 80 : t.port();
        }
        String host = req.headers().get(HttpHeaderNames.HOST);
        int colon = host == null ? -1 : host.lastIndexOf(':');
        if (colon < 0 || host.indexOf(']', colon) >= 0) {
            return 80;
        }
        try {
            int port = Integer.parseInt(host.substring(colon + 1));
            return port >= 1 && port <= 65535 ? port : 80;
        } catch (NumberFormatException e) {
            return 80;
        }
    }
}
