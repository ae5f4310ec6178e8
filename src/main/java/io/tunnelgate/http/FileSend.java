package io.tunnelgate.http;

import io.netty.channel.Channel;
import io.netty.channel.ChannelProgressiveFuture;
import io.netty.channel.ChannelProgressiveFutureListener;
import io.netty.channel.ChannelProgressivePromise;
import io.netty.util.concurrent.ScheduledFuture;
import io.tunnelgate.log.LogLevel;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Writes one file response: the head, then the file region (sendfile on epoll, a file-channel
 * transfer on NIO), and reports when it is done with the bytes of body actually sent for
 * {@code $body_bytes_sent}.
 *
 * <p>A client that stops reading holds an open file; as nginx's {@code send_timeout} (60 s, not
 * configurable yet), the connection is closed when no byte could be written for that long. The
 * timer re-arms itself lazily: progress only stamps a time.
 */
final class FileSend implements ChannelProgressiveFutureListener {
    /** nginx's default send_timeout. */
    static final long SEND_TIMEOUT_MILLIS = 60_000;

    /** Called once on the event loop when the body was written ({@code ok}) or the write failed. */
    @FunctionalInterface
    interface Done {
        void sent(boolean ok);
    }

    private final Request req;
    private final Channel ch;
    private final long count;
    private final Done done;
    private final LongSupplier nanoTime;
    private long progress;
    private long lastNanos;
    private ScheduledFuture<?> timer;

    private FileSend(Request req, long count, Done done) {
        this.req = req;
        this.ch = req.connection().channel();
        this.count = count;
        this.done = done;
        this.nanoTime = req.connection().services().nanoTime();
    }

    /** Starts writing {@code resp}; {@code done} runs when it has ended either way. */
    static void start(Request req, FileResponse resp, Done done) {
        new FileSend(req, resp.body().count(), done).begin(resp);
    }

    private void begin(FileResponse resp) {
        req.status(resp.status());
        req.addSent(resp.head().readableBytes(), 0);
        ch.write(resp.head());
        ChannelProgressivePromise promise = ch.newProgressivePromise();
        promise.addListener(this);
        lastNanos = nanoTime.getAsLong();
        timer = ch.eventLoop().schedule(this::checkTimeout, SEND_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        ch.writeAndFlush(resp.body(), promise);
    }

    @Override
    public void operationProgressed(ChannelProgressiveFuture future, long progress, long total) {
        this.progress = progress;
        lastNanos = nanoTime.getAsLong();
    }

    @Override
    public void operationComplete(ChannelProgressiveFuture future) {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
        long body = future.isSuccess() ? count : progress;
        req.addSent(body, body);
        done.sent(future.isSuccess());
    }

    private void checkTimeout() {
        timer = null;
        long idle = TimeUnit.NANOSECONDS.toMillis(nanoTime.getAsLong() - lastNanos);
        if (idle < SEND_TIMEOUT_MILLIS) {
            timer = ch.eventLoop().schedule(this::checkTimeout, SEND_TIMEOUT_MILLIS - idle, TimeUnit.MILLISECONDS);
            return;
        }
        req.log(LogLevel.INFO, "client timed out (110: Connection timed out) while sending response to client");
        // the pending write fails with the close, which ends the request through operationComplete
        ch.close();
    }
}
