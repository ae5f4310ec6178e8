package io.tunnelgate.forward;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.ConnectTimeoutException;
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
import io.tunnelgate.http.ConnectionBudget;
import io.tunnelgate.http.Exchange;
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
    private static final java.util.Set<HttpMethod> IDEMPOTENT = java.util.Set.of(HttpMethod.GET, HttpMethod.HEAD,
            HttpMethod.PUT, HttpMethod.DELETE, HttpMethod.OPTIONS, HttpMethod.TRACE);

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
    private final long firstTryNanos;
    private State state = State.CONNECTING;
    private UpstreamConn conn;
    private ForwardState.Attempt attempt;
    private InetSocketAddress peer;
    private final RequestBody requestBody;
    private boolean continueSent;
    private boolean staleRetried;
    private int tries;
    /** The status the last failed attempt would answer with (0: none failed). */
    private int lastFailure;
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
        this.firstTryNanos = now();
        this.requestBody = new RequestBody(HttpUtil.isTransferEncodingChunked(req.head()));
    }

    /** The client left before the request could be forwarded: logged as nginx's 499. */
    static void clientLeftEarly(Request req) {
        req.status(499);
        RequestEnd.logAndClose(req);
    }

    void start() {
        if (HttpUtil.isTransferEncodingChunked(req.head()) && !conf.http11()) {
            error("client sent chunked body that cannot be passed with proxy_http_version 1.0");
            ex.sendError(req, 411);
            return;
        }
        // the body waits until an upstream connection exists
        client.config().setAutoRead(false);
        ex.stream(req, this);
        if (state == State.CONNECTING) {
            nextAttempt();
        }
    }

    // choosing and opening a connection

    private void nextAttempt() {
        peer = route.next(now());
        if (peer == null) {
            if (lastFailure == 0) {
                error("no live upstreams while connecting to upstream");
            }
            // as nginx: with no address left, the last attempt's failure is the answer
            fail(lastFailure == 0 ? 502 : lastFailure);
            return;
        }
        tries++;
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
        ConnectionBudget budget = req.connection().services().budget();
        if (!budget.tryAcquire() && !(UpstreamPool.current().evictOne() && budget.tryAcquire())) {
            error(budget.limit() + " worker_connections are not enough while connecting to upstream");
            fail(500);
            return;
        }
        ChannelFuture f = new Bootstrap()
                .group(client.eventLoop())
                .channelFactory(req.connection().services().upstreamChannels())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, conf.connectMillis()))
                .handler(new ChannelInboundHandlerAdapter())
                .connect(address);
        f.channel().closeFuture().addListener(x -> budget.release());
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
        if (f.cause() instanceof ConnectTimeoutException) {
            attemptFailed(NextUpstream.Condition.TIMEOUT, 504,
                    "upstream timed out (110: Connection timed out) while connecting to upstream");
        } else {
            attemptFailed(NextUpstream.Condition.ERROR, 502,
                    "connect() failed (" + ConnectErrors.describe(f.cause()) + ") while connecting to upstream");
        }
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
        long length = HttpUtil.isTransferEncodingChunked(req.head()) ? -1 : HttpUtil.getContentLength(req.head(), 0L);
        c.channel.write(UpstreamHead.encode(c.channel.alloc(), req, conf, uri, proxyHost, length, conf.http11()));
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
            fail(tooLarge ? 413 : 400);
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
                attemptFailed(NextUpstream.Condition.ERROR, 502,
                        "upstream prematurely closed connection while reading response header from upstream");
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
                attemptFailed(NextUpstream.Condition.ERROR, 502,
                        "recv() failed (" + why + ") while reading response header from upstream");
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
            Throwable cause = head.decoderResult().cause();
            boolean tooBig = cause instanceof io.netty.handler.codec.TooLongFrameException;
            attemptFailed(NextUpstream.Condition.INVALID_HEADER, 502, "upstream sent "
                    + (tooBig ? "too big header" : "invalid header") + " while reading response header from upstream");
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
        if (conf.interceptErrors() && status >= 300 && req.hasErrorPage(status)) {
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
    private void attemptFailed(NextUpstream.Condition why, int status, String message) {
        error(message);
        route.failed(now());
        finishAttempt(status);
        lastFailure = status;
        dropUpstream();
        if (canRetry(why)) {
            state = State.CONNECTING;
            nextAttempt();
            return;
        }
        fail(status);
    }

    /**
     * nginx's rules for passing a request to the next upstream: the condition is configured, the
     * tries and time left allow it, no body byte has gone (it is not kept, so it cannot be sent
     * again), and a request that may have reached the upstream is idempotent unless
     * {@code non_idempotent} is given.
     */
    private boolean canRetry(NextUpstream.Condition why) {
        NextUpstream next = conf.next();
        boolean maybeProcessed = state != State.CONNECTING;
        return next.on().contains(why) && !requestBody.sent()
                && (!maybeProcessed || IDEMPOTENT.contains(req.method()) || next.on().contains(NextUpstream.Condition.NON_IDEMPOTENT))
                && (next.tries() == 0 || tries < next.tries())
                && (next.timeoutMillis() == 0 || now() - firstTryNanos < next.timeoutMillis() * 1_000_000L);
    }

    /**
     * A reused pooled connection closed or failed before any response byte: the origin closed
     * it while it was idle, which the request could not know. Once per request, the same request
     * goes on a fresh connection to the same address, when it is safe to send again.
     */
    private boolean staleConnection() {
        if (!reusedConnection || staleRetried || conn.counter.received > 0 || requestBody.sent()
                || !IDEMPOTENT.contains(req.method()) && !requestBody.done()) {
            return false;
        }
        staleRetried = true;
        dropUpstream();
        state = State.CONNECTING;
        attempt.connectedNanos = -1;
        connect(peer);
        return true;
    }

    /** The upstream took too long (ForwardTimer). */
    void upstreamTimedOut() {
        if (state == State.WAITING) {
            attemptFailed(NextUpstream.Condition.TIMEOUT, 504,
                    "upstream timed out (110: Connection timed out) while reading response header from upstream");
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

    /** Answers with an error of Tunnelgate's own (502, 504 ...), through error_page if one applies. */
    private void fail(int status) {
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
        if (attempt == null || attempt.endNanos >= 0) {
            return;
        }
        attempt.status = status;
        attempt.endNanos = now();
        if (conn != null) {
            attempt.bytesSent = conn.counter.sent;
            attempt.bytesReceived = conn.counter.received;
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
