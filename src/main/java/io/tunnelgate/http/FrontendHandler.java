package io.tunnelgate.http;

import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP/1 front of one client connection: takes decoded request heads, runs them through
 * {@link RequestProcessor}, writes the responses, and keeps the connection alive or closes it as
 * nginx would. A CONNECT that goes to its upstream replaces this handler (see
 * {@link Exchange#detach}).
 */
public final class FrontendHandler extends ChannelInboundHandlerAdapter implements Exchange {
    /** Where the connection is in its request cycle. */
    enum State {
        /** Waiting for a request head; the header (or keep-alive) timer runs. */
        WAITING,
        /** A request is in the phases; nothing has been answered yet. */
        SERVING,
        /** Answered and staying open; the rest of the request body is read and dropped. */
        DISCARDING_BODY,
        /** Answered with close; the connection closes once the response and log are written. */
        CLOSING,
        /** A content handler took the connection over; this handler is no longer in the pipeline. */
        DETACHED,
        /** A streaming content handler (proxy_pass) owns the body and the response. */
        STREAMING
    }

    private final ClientConnection connection;
    private final RequestDecoder decoder;
    private State state = State.WAITING;
    private Request current;
    private boolean bodyDone;
    private boolean inputClosed;
    private ScheduledFuture<?> timer;
    private ChannelHandlerContext ctx;
    /** Messages of the next request that arrived while this one was still being served. */
    private ArrayDeque<Object> parked;
    private boolean replaying;
    private BodySink sink;

    FrontendHandler(ClientConnection connection, RequestDecoder decoder) {
        this.connection = connection;
        this.decoder = decoder;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        armTimer(connection.hosts().defaultServer().timeouts().headerTimeoutMillis());
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (parked != null || state == State.STREAMING && bodyDone || state == State.SERVING && mustWait(msg)) {
            park(msg);
            return;
        }
        dispatch(msg);
    }

    /**
     * While the content handler has not decided, body bytes wait for it (proxy_pass streams them
     * upstream; others drop them), as does the next request. The empty end of a bodyless request
     * is taken at once so that a plain GET costs no pause in reading.
     */
    private boolean mustWait(Object msg) {
        return bodyDone || !(msg instanceof LastHttpContent last)
                || last.content().isReadable() || !last.trailingHeaders().isEmpty() || last.decoderResult().isFailure();
    }

    /**
     * Keeps a message of a pipelined request until the current one is finished (its content
     * handler may be waiting for the file system, or a file is being sent), and stops reading
     * more meanwhile, as nginx reads the next request only after finishing one.
     */
    private void park(Object msg) {
        if (parked == null) {
            parked = new ArrayDeque<>(4);
        }
        parked.add(msg);
        ctx.channel().config().setAutoRead(false);
    }

    /** Handles parked messages in order for as long as the connection waits for a request. */
    private void replayParked() {
        if (parked == null || replaying) {
            return;
        }
        replaying = true;
        try {
            // a CONNECT among them may take the connection over, which releases the rest
            while (parked != null && !parked.isEmpty() && acceptsNow(parked.peek())) {
                dispatch(parked.poll());
            }
        } finally {
            replaying = false;
        }
        if (parked != null && parked.isEmpty()) {
            parked = null;
            // a streaming handler paces reading the client itself
            if ((state == State.WAITING || state == State.DISCARDING_BODY) && ctx.channel().isWritable()) {
                ctx.channel().config().setAutoRead(true);
            }
        }
    }

    /** Whether the next message can be handled now rather than wait for the request in progress. */
    private boolean acceptsNow(Object next) {
        return switch (state) {
            case WAITING, DISCARDING_BODY -> true;
            case STREAMING -> !bodyDone;
            case SERVING -> !mustWait(next);
            case CLOSING, DETACHED -> false;
        };
    }

    private void releaseParked() {
        if (parked != null) {
            parked.forEach(ReferenceCountUtil::release);
            parked = null;
        }
    }

    private void dispatch(Object msg) {
        if (state == State.STREAMING && msg instanceof HttpContent content) {
            bodyDone = msg instanceof LastHttpContent;
            sink.content(content);
            return;
        }
        if (msg instanceof HttpRequest head && state == State.WAITING) {
            onHead(head);
        } else if (msg instanceof LastHttpContent last) {
            boolean failed = last.decoderResult().isFailure();
            ReferenceCountUtil.release(msg);
            if (failed) {
                // a malformed body (bad chunk size ...): the decoder drops everything from here on
                ctx.close();
                return;
            }
            onBodyEnd();
        } else {
            // body chunks of a request already answered, or anything after a close decision
            ReferenceCountUtil.release(msg);
        }
    }

    private void onHead(HttpRequest head) {
        cancelTimer();
        state = State.SERVING;
        bodyDone = false;
        String rawLine = head.decoderResult().isFailure() ? decoder.rawLine() : null;
        current = new Request(connection, head, decoder.lastHeadLength(), rawLine, connection.hosts().defaultServer());
        RequestProcessor.process(current, this);
    }

    private void onBodyEnd() {
        bodyDone = true;
        if (state == State.DISCARDING_BODY) {
            nextRequest();
        }
    }

    private void nextRequest() {
        // nginx times the wait for the next request with the keepalive_timeout of the server
        // that served this one
        long keepalive = current.serverConf().timeouts().keepaliveTimeoutMillis();
        state = State.WAITING;
        current = null;
        if (inputClosed && parked == null) {
            ctx.close();
            return;
        }
        armTimer(keepalive);
        replayParked();
    }

    // Exchange

    @Override
    public void send(Request req, Response resp) {
        // a streaming handler that gives up (502 ...) answers through here; it may have paused reading
        sink = null;
        ChannelFuture written = RequestEnd.write(req, resp);
        if (resp.close() || inputClosed && parked == null) {
            state = State.CLOSING;
            RequestEnd.log(req, () -> written.addListener(f -> LingeringClose.start(req.connection().channel())));
            return;
        }
        state = State.DISCARDING_BODY;
        RequestEnd.log(req, null);
        // a client that pipelines requests but does not read the answers is not given more
        ctx.channel().config().setAutoRead(ctx.channel().isWritable() && parked == null);
        afterAnswer();
    }

    /** The response is on its way and the connection stays: drop the body, then go on. */
    private void afterAnswer() {
        if (bodyDone) {
            nextRequest();
        } else {
            replayParked();
        }
    }

    @Override
    public void sendError(Request req, int status) {
        if (!ErrorPages.apply(req, status, this)) {
            send(req, Responses.error(req, status, KeepAlive.closes(req, status)));
        }
    }

    @Override
    public void sendRedirect(Request req, int status, String location) {
        if (!ErrorPages.apply(req, status, this)) {
            send(req, Responses.redirect(req, status, location, KeepAlive.closes(req, status)));
        }
    }

    @Override
    public void internalRedirect(Request req, String uri, String args) {
        Phases.internalRedirect(req, this, uri, args);
    }

    @Override
    public void sendFile(Request req, FileResponse resp) {
        FileSend.start(req, resp, ok -> {
            if (!ok) {
                state = State.CLOSING;
                RequestEnd.logAndClose(req);
                return;
            }
            if (resp.close() || inputClosed && parked == null) {
                state = State.CLOSING;
                RequestEnd.log(req, () -> LingeringClose.start(req.connection().channel()));
                return;
            }
            state = State.DISCARDING_BODY;
            RequestEnd.log(req, null);
            afterAnswer();
        });
    }

    @Override
    public void stream(Request req, BodySink sink) {
        state = State.STREAMING;
        this.sink = sink;
        if (bodyDone) {
            // the empty end of a bodyless request came while the phases ran; anything parked
            // belongs to the next request
            sink.content(LastHttpContent.EMPTY_LAST_CONTENT);
        } else {
            replayParked();
        }
    }

    @Override
    public void streamDone(Request req, ChannelFuture lastWrite, boolean close) {
        sink = null;
        if (close || inputClosed && parked == null) {
            state = State.CLOSING;
            RequestEnd.log(req, () -> lastWrite.addListener(f -> LingeringClose.start(req.connection().channel())));
            return;
        }
        state = State.DISCARDING_BODY;
        RequestEnd.log(req, null);
        ctx.channel().config().setAutoRead(ctx.channel().isWritable() && parked == null);
        afterAnswer();
    }

    @Override
    public void closeWithoutResponse(Request req, int status) {
        state = State.CLOSING;
        req.status(status);
        RequestEnd.logAndClose(req);
    }

    @Override
    public void detach(ChannelHandler replacement) {
        cancelTimer();
        state = State.DETACHED;
        ctx.pipeline().replace(this, "connect", replacement);
        ctx.pipeline().remove(decoder);
    }

    // Connection events

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (state == State.STREAMING) {
            // the streaming handler paces the upstream by the client's writability
            sink.clientWritabilityChanged(ctx.channel().isWritable());
        } else if (ctx.channel().isWritable() && state != State.CLOSING && parked == null) {
            ctx.channel().config().setAutoRead(true);
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent) {
            inputClosed = true;
            if (state == State.WAITING) {
                abandonPartial(400, "client prematurely closed connection");
            }
        }
        ReferenceCountUtil.release(evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        cancelTimer();
        releaseParked();
        if (state == State.STREAMING) {
            state = State.CLOSING;
            sink.clientGone();
            sink = null;
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        // a CONNECT took the connection over: the tunnel gets the bytes, never parsed requests
        releaseParked();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        IoErrors.log(connection, current, cause);
        ctx.close();
    }

    private void armTimer(long millis) {
        cancelTimer();
        timer = ctx.executor().schedule(this::onTimeout, millis, TimeUnit.MILLISECONDS);
    }

    private void cancelTimer() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    /**
     * The client took too long to send a request head (or to start the next one). nginx closes
     * without a response and logs 408 only when part of a request had arrived.
     */
    private void onTimeout() {
        timer = null;
        if (state != State.WAITING) {
            return;
        }
        // nginx logs the timeout with its errno, as "(110: Connection timed out)"
        abandonPartial(408, "client timed out (110: Connection timed out)");
    }

    /**
     * Ends a connection whose next request head will not complete. nginx sends nothing, and logs
     * the request (with {@code status}) only if part of it had arrived.
     */
    private void abandonPartial(int status, String message) {
        state = State.CLOSING;
        if (!decoder.hasPartialHead()) {
            ctx.close();
            return;
        }
        Request req = Request.incomplete(connection, decoder.rawLine());
        String part = decoder.requestLineRead() ? "headers" : "line";
        RequestProcessor.info(req, message + " while reading client request " + part);
        closeWithoutResponse(req, status);
    }
}
