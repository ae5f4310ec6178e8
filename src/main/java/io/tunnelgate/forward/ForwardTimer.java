package io.tunnelgate.forward;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The timeouts of one proxied request with one timer: {@code proxy_read_timeout} between two
 * reads from the upstream (or sends to it), {@code proxy_send_timeout} while the upstream does not
 * take the request body, and {@code send_timeout} while the client does not take the response.
 * Activity only stamps a time; the timer, when it fires, acts or sleeps for the time left, so a
 * busy transfer costs no rescheduling.
 */
final class ForwardTimer {
    private final ForwardExchange owner;
    private final EventLoop loop;
    private final LongSupplier nanoTime;
    private ScheduledFuture<?> task;
    private long readMillis;
    private long lastUpstream;
    private long upstreamStalledSince = -1;
    private long sendMillis;
    private long clientStalledSince = -1;
    private long clientMillis;

    ForwardTimer(ForwardExchange owner, EventLoop loop, LongSupplier nanoTime) {
        this.owner = owner;
        this.loop = loop;
        this.nanoTime = nanoTime;
    }

    /** The request went upstream (the response is awaited), or the response head went to the client. */
    void waitingUpstream(long readMillis) {
        this.readMillis = readMillis;
        upstreamActivity();
        schedule(readMillis);
    }

    void upstreamActivity() {
        lastUpstream = nanoTime.getAsLong();
    }

    void upstreamWritable(boolean writable, long sendMillis) {
        this.sendMillis = sendMillis;
        upstreamStalledSince = writable ? -1 : nanoTime.getAsLong();
        upstreamActivity();
    }

    void clientWritable(boolean writable, long clientMillis) {
        this.clientMillis = clientMillis;
        clientStalledSince = writable ? -1 : nanoTime.getAsLong();
        // reading the upstream was paused meanwhile; its silence then is not the upstream's fault
        upstreamActivity();
        if (!writable && task == null) {
            schedule(clientMillis);
        }
    }

    void stop() {
        if (task != null) {
            task.cancel(false);
            task = null;
        }
    }

    private void schedule(long millis) {
        stop();
        task = loop.schedule(this::check, Math.max(1, millis), TimeUnit.MILLISECONDS);
    }

    private void check() {
        task = null;
        long now = nanoTime.getAsLong();
        long left;
        if (clientStalledSince >= 0) {
            left = clientMillis - millisSince(clientStalledSince, now);
            if (left <= 0) {
                owner.clientTimedOut();
                return;
            }
        } else if (upstreamStalledSince >= 0) {
            left = sendMillis - millisSince(upstreamStalledSince, now);
            if (left <= 0) {
                owner.upstreamTimedOut(true);
                return;
            }
        } else {
            left = readMillis - millisSince(lastUpstream, now);
            if (left <= 0) {
                owner.upstreamTimedOut(false);
                return;
            }
        }
        schedule(left);
    }

    private static long millisSince(long then, long now) {
        return TimeUnit.NANOSECONDS.toMillis(now - then);
    }
}
