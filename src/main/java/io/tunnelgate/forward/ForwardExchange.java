package io.tunnelgate.forward;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import io.netty.handler.codec.PrematureChannelClosureException;
import io.tunnelgate.http.BodySink;
import io.tunnelgate.http.BodyTooLargeException;
import io.tunnelgate.http.Exchange;
import io.tunnelgate.http.ProxyError;
import io.tunnelgate.http.ProxyStatus;
import io.tunnelgate.http.Request;
import io.tunnelgate.http.RequestEnd;
import io.tunnelgate.log.LogLevel;
import io.tunnelgate.tunnel.ConnectErrors;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * One proxied request, from choosing an upstream connection to the end of the response: the
 * request head and body go upstream as the client sends them, the response comes back as the
 * upstream sends it, each side paced by the other's writability, so memory stays bounded
 * whatever the sizes. Both connections live on the client's event loop.
 *
 * <p>A failed attempt (connect error, timeout, bad or missing response head) is tried again on the
 * next address when {@code proxy_next_upstream} allows it and nothing of the body or the response
 * has passed yet; a pooled connection that turns out to be closed is replaced by a fresh one once.
 */
final class ForwardExchange implements BodySink, UpstreamConn.Owner {
    private static final byte[] CONTINUE = "HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    /** Where the request is. */
    enum State {
        /** Waiting for an upstream connection; body pieces are held in {@link #requestBody}. */
        CONNECTING,
        /** The head went upstream; the body streams; waiting for the response head. */
        WAITING,
        /** The response head went to the client; the response body streams. */
        RESPONDING,
        /** After a 101: the connections are a relay now. */
        UPGRADED,
        /** Finished, failed, or the client left. */
        DONE
    }

    private final Request req;
    private final Exchange ex;
    private final ForwardConf conf;
    private final String uri;
    private final String proxyHost;
    private final Route route;
    private final Channel client;
    private final ForwardState vars;
    private final ForwardTimer timer;
    private final Retries retries;
    private State state = State.CONNECTING;
    private UpstreamConn conn;
    private ForwardState.Attempt attempt;
    private InetSocketAddress peer;
    private final RequestBody requestBody;
    /** The request body's framing, read once from the head: its length, or -1 when chunked. */
    private final long bodyLength;
    private boolean continueSent;
    private boolean reusedConnection;
    private ResponseBody responseBody;
    private Upgrade upgrade;

    ForwardExchange(Request req, Exchange ex, ForwardConf conf, String uri, String proxyHost, Route route) {
        this.req = req;
        this.ex = ex;
        this.conf = conf;
        this.uri = uri;
        this.proxyHost = proxyHost;
        this.route = route;
        this.client = req.connection().channel();
        this.vars = req.get(ForwardState.KEY);
        this.timer = new ForwardTimer(this, client.eventLoop(), req.connection().services().nanoTime());
        this.retries = new Retries(conf.next(), req.method(), now());
        this.bodyLength = HttpUtil.isTransferEncodingChunked(req.head()) ? -1 : HttpUtil.getContentLength(req.head(), 0L);
        this.requestBody = new RequestBody(bodyLength < 0);
    }

    /** The client left before the request could be forwarded: logged as nginx's 499. */
    static void clientLeftEarly(Request req) {
        req.status(499);
        RequestEnd.logAndClose(req);
    }

    void start() {
        if (bodyLength < 0 && !conf.http11()) {
            error("client sent chunked body that cannot be passed with proxy_http_version 1.0");
            ex.sendError(req, 411);
            return;
        }
        ex.stream(req, this);
        if (!requestBody.done() && bodyLength != 0) {
            // the body waits until an upstream connection exists. A bodyless request leaves
            // reading on (the front end parks whatever the client pipelines meanwhile), so a GET
            // costs no pair of epoll_ctl calls to pause and resume reading the client
            client.config().setAutoRead(false);
        }
        if (state == State.CONNECTING) {
            nextAttempt();
        }
    }

    // choosing and opening a connection

    private void nextAttempt() {
        peer = route.next(now());
        while (peer != null && conf.guard().addressDenied(req, peer)) {
            // checked right before its dial or reuse: skipped, not counted against the peer
            retries.denied();
            peer = route.next(now());
        }
        if (peer == null) {
            if (retries.anyFailed()) {
                // as nginx: with no address left, the last attempt's failure is the answer
                fail(retries.lastFailure(), retries.lastProxyStatus());
            } else {
                error("no live upstreams while connecting to upstream");
                fail(502, ProxyStatus.of(ProxyError.DESTINATION_UNAVAILABLE, "no live upstreams"));
            }
            return;
        }
        retries.attemptStarted();
        req.upstream("http://" + ForwardVariables.peerName(peer) + uri);
        attempt = vars.begin(ForwardVariables.peerName(peer), now());
        UpstreamConn pooled = conf.http11() ? UpstreamPool.current().take(peer) : null;
        if (pooled != null) {
            attempt.connectedNanos = now();
            use(pooled, true);
            return;
        }
        connect(peer);
    }

    private void connect(InetSocketAddress address) {
        ChannelFuture f = UpstreamDial.open(req, conf, address);
        if (f == null) {
            String message = req.connection().services().budget().limit()
                    + " worker_connections are not enough while connecting to upstream";
            error(message);
            fail(500, ProxyStatus.of(ProxyError.CONNECTION_LIMIT_REACHED, message));
            return;
        }
        f.addListener((Future<? super Void> done) -> connected(f.channel(), done));
    }

    private void connected(Channel ch, Future<? super Void> f) {
        if (state != State.CONNECTING) {
            ch.close();
            return;
        }
        if (f.isSuccess()) {
            attempt.connectedNanos = now();
            use(new UpstreamConn(ch, peer, conf.bufferSize(), now()), false);
            return;
        }
        attemptFailed(AttemptFailure.connect(f.cause()));
    }

    /** Sends the request on a connection: the head, the body read so far, then the rest as it comes. */
    private void use(UpstreamConn c, boolean reused) {
        conn = c;
        c.owner(this);
        c.requests++;
        c.counter.reset();
        c.decoder.expectHead(req.method().equals(HttpMethod.HEAD));
        reusedConnection = reused;
        state = State.WAITING;
        c.channel.write(UpstreamHead.encode(c.channel.alloc(), req, conf, uri, proxyHost, bodyLength, conf.http11()));
        requestBody.writeHeld(c.channel);
        c.channel.flush();
        if (!requestBody.done() && HttpUtil.is100ContinueExpected(req.head()) && !continueSent) {
            // the client waits for this before sending the body; now there is somewhere to send it
            continueSent = true;
            client.writeAndFlush(client.alloc().buffer(25).writeBytes(CONTINUE));
        }
        c.channel.config().setAutoRead(true);
        if (!requestBody.done()) {
            client.config().setAutoRead(c.channel.isWritable());
        }
        timer.waitingUpstream(conf.readMillis());
    }

    // the request body (BodySink)

    @Override
    public void content(HttpContent content) {
        if (content.decoderResult().isFailure()) {
            ReferenceCountUtil.release(content);
            badRequestBody(content.decoderResult().cause());
            return;
        }
        switch (state) {
            case CONNECTING -> requestBody.hold(content);
            case WAITING, RESPONDING -> {
                requestBody.write(conn.channel, content);
                conn.channel.flush();
                if (!conn.channel.isWritable() && !requestBody.done()) {
                    client.config().setAutoRead(false);
                }
            }
            default -> requestBody.drop(content);
        }
    }

    /** A malformed or too large request body: answered if nothing was yet, else the connection ends. */
    private void badRequestBody(Throwable cause) {
        if (cause instanceof PrematureChannelClosureException) {
            // the client closed in the middle of its body: it is gone, not wrong
            clientGone();
            return;
        }
        boolean tooLarge = cause instanceof BodyTooLargeException;
        if (state == State.CONNECTING || state == State.WAITING) {
            dropUpstream();
            fail(tooLarge ? 413 : 400, null);
        } else if (state == State.RESPONDING) {
            abort();
        }
    }

    @Override
    public void clientGone() {
        if (state == State.DONE || state == State.UPGRADED) {
            return;
        }
        boolean answered = state == State.RESPONDING;
        info("client prematurely closed connection, so upstream connection is closed too while "
                + (answered ? "sending to client" : "reading response header from upstream"));
        finishAttempt(answered ? attempt.status : 499);
        state = State.DONE;
        requestBody.release();
        dropUpstream();
        timer.stop();
        if (!answered) {
            req.status(499);
        }
        RequestEnd.logAndClose(req);
    }

    @Override
    public void clientWritabilityChanged(boolean writable) {
        if (state == State.RESPONDING) {
            conn.channel.config().setAutoRead(writable);
            timer.clientWritable(writable, conf.clientSendMillis());
        }
    }

    // the upstream connection (UpstreamConn.Owner)

    @Override
    public void upstreamRead(Object msg) {
        timer.upstreamActivity();
        if (state == State.WAITING && msg instanceof HttpResponse head) {
            onResponseHead(head);
            ReferenceCountUtil.release(msg);
        } else if (state == State.RESPONDING && msg instanceof HttpContent content) {
            responseBody.write(content);
            if (content instanceof LastHttpContent) {
                responseDone();
            }
        } else if (state == State.UPGRADED && msg instanceof ByteBuf buf) {
            upgrade.upstreamBytes(buf);
        } else {
            // the empty end of an ignored 1xx, or anything after the exchange is over
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void upstreamReadComplete() {
        if (state == State.RESPONDING) {
            client.flush();
        }
    }

    @Override
    public void upstreamClosed() {
        switch (state) {
            case WAITING -> {
                if (staleConnection()) {
                    return;
                }
                attemptFailed(AttemptFailure.beforeHead(null, conn.counter.received));
            }
            case RESPONDING -> {
                error("upstream prematurely closed connection while reading upstream");
                abort();
            }
            default -> {
            }
        }
    }

    @Override
    public void upstreamFailed(Throwable cause) {
        String why = ConnectErrors.describe(cause);
        switch (state) {
            case WAITING -> {
                if (staleConnection()) {
                    return;
                }
                attemptFailed(AttemptFailure.beforeHead(cause, conn.counter.received));
            }
            case RESPONDING -> {
                error("recv() failed (" + why + ") while reading upstream");
                abort();
            }
            default -> conn.channel.close();
        }
    }

    @Override
    public void upstreamWritabilityChanged(boolean writable) {
        if ((state == State.WAITING || state == State.RESPONDING) && !requestBody.done()) {
            client.config().setAutoRead(writable);
            timer.upstreamWritable(writable, conf.sendMillis());
        }
    }

    // the response

    private void onResponseHead(HttpResponse head) {
        if (head.decoderResult().isFailure()) {
            attemptFailed(AttemptFailure.badHead(head.decoderResult().cause()));
            return;
        }
        int status = head.status().code();
        if (status >= 100 && status < 200 && status != 101) {
            // interim responses (100, 103) are not passed: the client gets the final one
            return;
        }
        attempt.headerNanos = now();
        attempt.status = status;
        NextUpstream.Condition byStatus = NextUpstream.Condition.forStatus(status);
        if (byStatus != null && canRetry(byStatus)) {
            route.failed(now());
            finishAttempt(status);
            dropUpstream();
            state = State.CONNECTING;
            nextAttempt();
            return;
        }
        route.succeeded();
        vars.responseHeaders = head.headers();
        if (conf.interceptErrors() && status >= 300 && req.level().errorPage(status) != null) {
            // the error page answers instead; the upstream's body is not wanted
            finishAttempt(status);
            dropUpstream();
            state = State.DONE;
            timer.stop();
            ex.sendError(req, status);
            return;
        }
        if (status == 101) {
            state = State.UPGRADED;
            timer.stop();
            finishAttempt(status);
            upgrade = new Upgrade(req, ex, conf, conn, client);
            upgrade.start(head);
            return;
        }
        state = State.RESPONDING;
        responseBody = ResponseBody.start(req, conf, head, client);
        timer.waitingUpstream(conf.readMillis());
    }

    /** The whole response went to the client: the upstream connection is kept or closed, the request logged. */
    private void responseDone() {
        state = State.DONE;
        timer.stop();
        finishAttempt(attempt.status);
        ChannelFuture last = client.writeAndFlush(io.netty.buffer.Unpooled.EMPTY_BUFFER);
        PoolLimits limits = route.pool();
        if (conf.http11() && responseBody.reusable() && requestBody.done() && conn.requests < limits.requests()
                && now() - conn.createdNanos < limits.timeNanos()) {
            conn.owner(null);
            UpstreamPool.current().offer(conn, limits.idle(), limits.timeoutMillis());
        } else {
            dropUpstream();
        }
        ex.streamDone(req, last, responseBody.closesClient() || !req.keepAlive());
    }

    // failures

    /**
     * An attempt failed before anything reached the client: the next address is tried when
     * {@code proxy_next_upstream} allows it, else the client gets {@code status}.
     */
    private void attemptFailed(AttemptFailure failure) {
        error(failure.message());
        route.failed(now());
        finishAttempt(failure.status());
        retries.failed(failure.status(), failure.proxyStatus());
        dropUpstream();
        if (canRetry(failure.why())) {
            state = State.CONNECTING;
            nextAttempt();
            return;
        }
        fail(failure.status(), failure.proxyStatus());
    }

    /** Whether {@code proxy_next_upstream} passes the request on after a failure of this kind. */
    private boolean canRetry(NextUpstream.Condition why) {
        return retries.mayRetry(why, state != State.CONNECTING, requestBody.sent(), now());
    }

    /** A reused pooled connection that the origin had closed: the request goes again on a fresh one (Retries). */
    private boolean staleConnection() {
        if (!retries.mayResendFresh(reusedConnection, conn.counter.received, requestBody.sent(), requestBody.done())) {
            return false;
        }
        dropUpstream();
        state = State.CONNECTING;
        attempt.connectedNanos = -1;
        connect(peer);
        return true;
    }

    /** The upstream took too long (ForwardTimer): to answer, or to take the body ({@code sending}). */
    void upstreamTimedOut(boolean sending) {
        if (state == State.WAITING) {
            attemptFailed(AttemptFailure.timedOut(sending));
        } else if (state == State.RESPONDING) {
            error("upstream timed out (110: Connection timed out) while reading upstream");
            abort();
        }
    }

    /** The client did not take the response for {@code send_timeout} (ForwardTimer). */
    void clientTimedOut() {
        if (state == State.RESPONDING) {
            info("client timed out (110: Connection timed out) while sending to client");
            abort();
        }
    }

    /**
     * Answers with an error of Tunnelgate's own (502, 504 ...), through error_page if one applies;
     * a proxy failure ({@code proxyStatus} not null) is named in the response's Proxy-Status.
     */
    private void fail(int status, ProxyStatus proxyStatus) {
        if (proxyStatus != null) {
            conf.guard().fail(req, proxyStatus);
        }
        state = State.DONE;
        timer.stop();
        requestBody.release();
        ex.sendError(req, status);
    }

    /** The response was cut off after its head went out: the client connection closes. */
    private void abort() {
        state = State.DONE;
        timer.stop();
        finishAttempt(attempt.status);
        dropUpstream();
        RequestEnd.logAndClose(req);
    }

    private void dropUpstream() {
        if (conn != null) {
            conn.owner(null);
            conn.channel.close();
            conn = null;
        }
    }

    private void finishAttempt(int status) {
        if (attempt != null) {
            attempt.finish(status, now(), conn == null ? null : conn.counter);
        }
    }

    private void error(String message) {
        req.log(LogLevel.ERROR, message);
    }

    private void info(String message) {
        req.log(LogLevel.INFO, message);
    }

    private long now() {
        return req.connection().services().nanoTime().getAsLong();
    }
}
