package io.tunnelgate.http;

import io.netty.channel.Channel;
import io.netty.util.concurrent.ScheduledFuture;
import io.tunnelgate.log.LogLevel;
import java.util.concurrent.TimeUnit;

/**
 * A pause of the phases on the event loop's timer ({@code limit_req}'s delay): the connection
 * stays usable meanwhile, and the phases go on on the same event loop when the time is up.
 *
 * <p>A client that closes while its request waits does not get it resumed: as with nginx's
 * {@code ngx_http_test_reading}, the request ends at once and is logged with 499 after an info
 * line. A request that ends otherwise meanwhile (the front refused its body) cancels the timer.
 */
final class PhaseDelay {
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
        PhaseDelay delay = new PhaseDelay(req, resume);
        delay.timer = req.connection().channel().eventLoop().schedule(delay::fire, millis, TimeUnit.MILLISECONDS);
        // the request ends early when the connection closes (see Request#onEnd) or the front answers it
        req.onEnd(delay::requestEnded);
    }

    private void fire() {
        if (!waiting) {
            return;
        }
        waiting = false;
        if (!req.ended() && req.connection().channel().isActive()) {
            resume.run();
        }
    }

    private void requestEnded() {
        if (!waiting) {
            return;
        }
        waiting = false;
        timer.cancel(false);
        Channel ch = req.connection().channel();
        if (!ch.isActive()) {
            req.log(LogLevel.INFO, "client prematurely closed connection");
            req.status(499);
            RequestEnd.log(req, null);
        }
    }
}
