package io.tunnelgate.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.tunnelgate.log.ErrorContext;

/**
 * What an error-log line tells about the request it concerns, in the error log's terms (client,
 * server name, request line, upstream, Host, Referer), as nginx's HTTP log handler appends it.
 *
 * <p>A view made by {@link Request#log} only for a line that is written, so {@link Request} does
 * not carry the error log's vocabulary (its {@code server()} would be a name, beside
 * {@code serverConf()}) and requests that log nothing pay nothing.
 */
record RequestErrorContext(Request req) implements ErrorContext {

    @Override
    public String client() {
        return req.connection().remoteIp();
    }

    @Override
    public String server() {
        return req.serverConf().name();
    }

    @Override
    public String request() {
        String line = req.requestLine();
        return line.isEmpty() ? null : line;
    }

    @Override
    public String upstream() {
        return req.upstream();
    }

    @Override
    public String host() {
        return req.headers().get(HttpHeaderNames.HOST);
    }

    @Override
    public String referrer() {
        return req.headers().get(HttpHeaderNames.REFERER);
    }
}
