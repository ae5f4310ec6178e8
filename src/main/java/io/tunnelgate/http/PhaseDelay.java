package io.tunnelgate.http;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.util.concurrent.ScheduledFuture;
import io.tunnelgate.log.LogLevel;
import java.util.concurrent.TimeUnit;

/**
 * A pause of the phases on the event loop's timer ({@code limit_req}'s delay): the connection
 * stays usable meanwhile, and the phases go on on the same event loop when the time is up.
 *
 * <p>As nginx's {@code ngx_http_test_reading} during the delay, a client that closes or sends its
 * FIN (now or before the delay began) does not get its request resumed: the request ends with an
 * info line and is logged with 499, and the connection closes. A request that ends otherwise
 * meanwhile (the front refused its body) cancels the timer.
 */
final class PhaseDelay extends ChannelInboundHandlerAdapter {
    private final Request req;
    private final Runnable resume;
    private ScheduledFuture<?> timer;
    private boolean waiting = true;

    private PhaseDelay(Request req, Runnable resume) {
        this.req = req;
        this.resume = resume;
    }

    /** Runs {@code resume} after {@code millis}, unless the request ended or its client went away first. */
    static void start(Request req, long millis, Runnable resume) {
        Channel ch = req.connection().channel();
        PhaseDelay delay = new PhaseDelay(req, resume);
        if (ch instanceof DuplexChannel duplex && duplex.isInputShutdown()) {
            delay.clientGone();
            return;
        }
        delay.timer = ch.eventLoop().schedule(delay::fire, millis, TimeUnit.MILLISECONDS);
        // first in the pipeline: the front handler swallows the FIN's event
        ch.pipeline().addFirst(delay);
        // the request also ends early when the connection closes (see Request#onEnd) or the front answers it
        req.onEnd(delay::requestEnded);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent && waiting) {
            stop();
            clientGone();
        }
        ctx.fireUserEventTriggered(evt);
    }

    private void fire() {
        if (!waiting) {
            return;
        }
        stop();
        if (!req.ended() && req.connection().channel().isActive()) {
            resume.run();
        }
    }

    private void requestEnded() {
        if (!waiting) {
            return;
        }
        stop();
        if (!req.connection().channel().isActive()) {
            clientGone();
        }
    }

    /** Ends the wait: the timer and the watch on the client's input go. */
    private void stop() {
        waiting = false;
        timer.cancel(false);
        Channel ch = req.connection().channel();
        if (ch.pipeline().context(this) != null) {
            ch.pipeline().remove(this);
        }
    }

    private void clientGone() {
        req.log(LogLevel.INFO, "client prematurely closed connection");
        req.status(499);
        RequestEnd.logAndClose(req);
    }
}
