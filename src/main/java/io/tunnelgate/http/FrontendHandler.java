package io.tunnelgate.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;

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
    private final HeadTimer timer = new HeadTimer(this);
    private ChannelHandlerContext ctx;
    /** Messages of the next request that arrived while this one was still being served. */
    private final ParkedMessages parked = new ParkedMessages();
    private BodySink sink;
    /** A file response is being written: the request is answered though still SERVING. */
    private boolean fileSending;
    /** The request the front answered itself (bad or too large body) while its handler was busy. */
    private Request preempted;
    private final BodyChecks body = new BodyChecks();

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
        timer.arm(ctx.executor(), connection.hosts().defaultServer().timeouts().headerTimeoutMillis());
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (state == State.SERVING && !parked.headParked() && !fileSending && msg instanceof HttpContent content
                && refusedEarly(content)) {
            return;
        }
        if (parked.any() || state == State.STREAMING && bodyDone || state == State.SERVING && mustWait(msg)) {
            // the request in progress is not finished: what comes now waits for it
            parked.park(msg, ctx.channel());
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

    /** Handles parked messages in order for as long as the connection waits for a request. */
    private void replayParked() {
        // a streaming handler paces reading the client itself
        if (parked.replay(this) && (state == State.WAITING || state == State.DISCARDING_BODY)
                && ctx.channel().isWritable()) {
            ctx.channel().config().setAutoRead(true);
        }
    }

    /** Whether the next message can be handled now rather than wait for the request in progress. */
    boolean acceptsNow(Object next) {
        return switch (state) {
            case WAITING, DISCARDING_BODY -> true;
            case STREAMING -> !bodyDone;
            case SERVING -> !mustWait(next);
            case CLOSING, DETACHED -> false;
        };
    }

    /** Handles one decoded message, arrived now or parked before. */
    void dispatch(Object msg) {
        if (state == State.STREAMING && msg instanceof HttpContent content) {
            HttpContent checked = body.toSink(current, content);
            bodyDone = checked instanceof LastHttpContent;
            if (body.refused()) {
                // nothing after a refused body may be taken for a request
                decoder.stopReading();
            }
            sink.content(checked);
            return;
        }
        if (msg instanceof HttpRequest head && state == State.WAITING) {
            onHead(head);
        } else if (msg instanceof LastHttpContent last) {
            boolean failed = last.decoderResult().isFailure();
            ReferenceCountUtil.release(msg);
            if (failed) {
                // a malformed body (bad chunk size ...) of a request already answered: the decoder
                // drops everything from here on; the response goes out before the close
                if (current != null && BodyChecks.malformed(last)) {
                    RequestProcessor.error(current, "client sent invalid chunked body");
                }
                state = State.CLOSING;
                ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
                return;
            }
            onBodyEnd();
        } else {
            // body chunks of a request already answered, or anything after a close decision
            ReferenceCountUtil.release(msg);
        }
    }

    private void onHead(HttpRequest head) {
        timer.cancel();
        state = State.SERVING;
        bodyDone = false;
        String rawLine = head.decoderResult().isFailure() ? decoder.rawLine() : null;
        current = new Request(connection, head, decoder.lastHeadLength(), rawLine, connection.hosts().defaultServer());
        // the body is checked from its start, with what of it is parked already
        body.start(head);
        parked.startRequest(body);
        RequestProcessor.process(current, this);
    }

    /**
     * A body piece arrived while the content handler was deciding. nginx answers a malformed
     * chunked body with 400 and one past client_max_body_size with 413 if nothing was answered
     * yet; both close the connection. A CONNECT's bytes are the tunnel's, never checked here.
     * The front's own page is sent (no error_page: its redirect would run the phases again beside
     * the ones still running), and whatever the handler still does for the request is dropped.
     *
     * @return true when the piece was refused (and released)
     */
    private boolean refusedEarly(HttpContent piece) {
        BodyChecks.Refusal refusal = current.isConnect() ? null : body.beforeAnswer(current, piece);
        if (refusal == null) {
            return false;
        }
        ReferenceCountUtil.release(piece);
        Request req = current;
        RequestProcessor.error(req, refusal.message());
        decoder.stopReading();
        req.keepAlive(false);
        send(req, Responses.error(req, refusal.status(), true));
        preempted = req;
        return true;
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
        if (inputClosed && !parked.any()) {
            ctx.close();
            return;
        }
        timer.arm(ctx.executor(), keepalive);
        replayParked();
    }

    // Exchange

    @Override
    public void send(Request req, Response resp) {
        if (req == preempted) {
            resp.bytes().release();
            return;
        }
        // a streaming handler that gives up (502 ...) answers through here; it may have paused reading
        sink = null;
        answered(req, RequestEnd.write(req, resp), resp.close());
    }

    /**
     * A response went out ({@code lastWrite} is its last write): the connection closes after it
     * and the log line when it must, else it stays for the next request.
     */
    private void answered(Request req, ChannelFuture lastWrite, boolean close) {
        if (close || inputClosed && !parked.any()) {
            state = State.CLOSING;
            RequestEnd.log(req, () -> lastWrite.addListener(f -> LingeringClose.start(req.connection().channel())));
            return;
        }
        state = State.DISCARDING_BODY;
        RequestEnd.log(req, null);
        // a client that pipelines requests but does not read the answers is not given more
        ctx.channel().config().setAutoRead(ctx.channel().isWritable() && !parked.any());
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
        if (req == preempted) {
            return;
        }
        if (!ErrorPages.apply(req, status, this)) {
            send(req, Responses.error(req, status, KeepAlive.closes(req, status)));
        }
    }

    @Override
    public void sendRedirect(Request req, int status, String location) {
        if (req == preempted) {
            return;
        }
        if (!ErrorPages.apply(req, status, this)) {
            send(req, Responses.redirect(req, status, location, KeepAlive.closes(req, status)));
        }
    }

    @Override
    public void internalRedirect(Request req, String uri, String args) {
        if (req == preempted) {
            return;
        }
        Phases.internalRedirect(req, this, uri, args);
    }

    @Override
    public void sendFile(Request req, FileResponse resp) {
        if (req == preempted) {
            resp.head().release();
            // releasing the region closes its file: file-system work, off the event loop
            connection.services().blocking().execute(() -> ReferenceCountUtil.release(resp.body()));
            return;
        }
        fileSending = true;
        FileSend.start(req, resp, ok -> {
            fileSending = false;
            if (!ok) {
                state = State.CLOSING;
                RequestEnd.logAndClose(req);
                return;
            }
            if (resp.close() || inputClosed && !parked.any()) {
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
        if (req == preempted) {
            sink.clientGone();
            return;
        }
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
        answered(req, lastWrite, close || body.refused());
    }

    @Override
    public void closeWithoutResponse(Request req, int status) {
        if (req == preempted) {
            return;
        }
        state = State.CLOSING;
        req.status(status);
        RequestEnd.logAndClose(req);
    }

    @Override
    public void detach(ChannelHandler replacement) {
        timer.cancel();
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
        } else if (ctx.channel().isWritable() && state != State.CLOSING && !parked.any()) {
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
        timer.cancel();
        parked.release();
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
        parked.release();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        IoErrors.log(connection, current, cause);
        ctx.close();
    }

    /**
     * The client took too long to send a request head (or to start the next one). nginx closes
     * without a response and logs 408 only when part of a request had arrived.
     */
    void headTimedOut() {
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
        if (decoder.hasPartialHead()) {
            PartialHead.logAndClose(connection, decoder, status, message);
        } else {
            ctx.close();
        }
    }
}
