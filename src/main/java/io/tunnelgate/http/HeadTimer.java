package io.tunnelgate.http;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The timer of a connection waiting for a request head: {@code client_header_timeout} for the
 * first request, the keepalive_timeout of the server that served the last one between requests
 * (nginx times both with the one read timer of the connection). When it fires,
 * {@link FrontendHandler#headTimedOut} decides whether the connection still waits.
 *
 * <p>One per connection, in place of the front's timer field: being the scheduled task itself,
 * arming it for each request allocates nothing beyond the event loop's own task.
 */
final class HeadTimer implements Runnable {
    private final FrontendHandler front;
    /** Null while not armed. */
    private ScheduledFuture<?> future;

    HeadTimer(FrontendHandler front) {
        this.front = front;
    }

    /** Starts the timer on {@code loop}, replacing one that runs already. */
    void arm(EventExecutor loop, long millis) {
        cancel();
        future = loop.schedule(this, millis, TimeUnit.MILLISECONDS);
    }

    void cancel() {
        if (future != null) {
            future.cancel(false);
            future = null;
        }
    }

    @Override
    public void run() {
        future = null;
        front.headTimedOut();
    }
}
