package io.tunnelgate.tunnel;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.socket.DuplexChannel;
import io.netty.util.concurrent.ScheduledFuture;
import io.tunnelgate.http.IoErrors;
import io.tunnelgate.http.Request;
import io.tunnelgate.http.RequestEnd;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * An established CONNECT tunnel: the two relay directions, one idle timer for both
 * ({@code proxy_connect_data_timeout}), byte counts, and how it ends (spec §3.8).
 *
 * <p>Both channels run on the client's event loop, so nothing here is shared between threads. By
 * default the first EOF of either side, once the data read before it has been written on, closes
 * both connections, as the module does; with {@code proxy_connect_half_close on} each FIN is
 * passed on and the tunnel closes when both directions have ended.
 */
final class Tunnel {
    private final Request req;
    private final ConnectContext cc;
    private final TunnelConf conf;
    private final Channel client;
    private final Channel upstream;
    private final LongSupplier nanoTime;
    private final RelayHandler fromClient;
    private final RelayHandler fromUpstream;
    private int directionsDone;
    private boolean closed;
    private long lastActivity;
    private ScheduledFuture<?> idleTimer;

    Tunnel(Request req, ConnectContext cc, TunnelConf conf, Channel client, Channel upstream) {
        this.req = req;
        this.cc = cc;
        this.conf = conf;
        this.client = client;
        this.upstream = upstream;
        this.nanoTime = req.connection().services().nanoTime();
        this.fromClient = new RelayHandler(this, true, upstream);
        this.fromUpstream = new RelayHandler(this, false, client);
    }

    /**
     * Installs the relay in place of the connect phase, writes the established response in one
     * write, sends the client's early bytes upstream, and starts reading both sides.
     */
    void start(ChannelHandlerContext phase, List<ByteBuf> early, boolean clientFinished) {
        client.config().setAutoRead(false);
        client.pipeline().replace(phase.handler(), "relay", fromClient);
        upstream.pipeline().addLast("relay", fromUpstream);
        lastActivity = nanoTime.getAsLong();
        scheduleIdle(cc.dataTimeoutMillis);

        // the directive, evaluated now that $connect_addr is known, wins over the variable (spec §1.6)
        String bytes = conf.response() == null ? "" : conf.response().evaluate(req);
        if (bytes.isEmpty()) {
            bytes = cc.response;
        }
        byte[] response = bytes.getBytes(StandardCharsets.ISO_8859_1);
        cc.response = "";
        req.status(200);
        req.addSent(response.length, response.length);
        client.writeAndFlush(Unpooled.wrappedBuffer(response)).addListener(f -> {
            if (!f.isSuccess()) {
                close();
            }
        });
        fromUpstream.start(List.of(), false);
        fromClient.start(early, clientFinished);
    }

    boolean isClosed() {
        return closed;
    }

    /** Bytes arrived on one side: the tunnel is not idle; the first upstream byte is timed. */
    void activity(boolean clientSide) {
        lastActivity = nanoTime.getAsLong();
        if (!clientSide && cc.firstByteNanos < 0) {
            cc.firstByteNanos = lastActivity;
        }
    }

    /** A direction's writes completed: counts what reached the client for the access log. */
    void sent(boolean clientSide, long bytes) {
        lastActivity = nanoTime.getAsLong();
        if (!clientSide) {
            req.addSent(bytes, bytes);
        }
    }

    /**
     * A direction's source ended and everything read from it has been written on. Without
     * half-close that ends the tunnel; with it the FIN is passed on, unless the other direction
     * has ended too: then closing delivers that last FIN, after the access-log line is written,
     * so a client that sees EOF finds the line in the log as it does without half-close.
     */
    void drained(RelayHandler direction) {
        if (closed) {
            return;
        }
        if (!conf.halfClose() || ++directionsDone == 2
                || !direction.channel().isActive() || !direction.peer().isActive()) {
            close();
            return;
        }
        ((DuplexChannel) direction.peer()).shutdownOutput().addListener(f -> {
            if (!f.isSuccess()) {
                close();
            }
        });
    }

    void failed(Throwable cause) {
        IoErrors.log(req.connection(), req, cause);
        close();
    }

    /** Ends the tunnel: upstream closes now, the client after its access-log line is written. */
    void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (idleTimer != null) {
            idleTimer.cancel(false);
        }
        upstream.close();
        RequestEnd.logAndClose(req);
    }

    private void scheduleIdle(long millis) {
        idleTimer = client.eventLoop().schedule(this::checkIdle, millis, TimeUnit.MILLISECONDS);
    }

    /**
     * The idle timer is re-armed lazily: activity only stamps a time, and the timer, when it
     * fires, either closes the tunnel or sleeps again for the rest of the period.
     */
    private void checkIdle() {
        if (closed) {
            return;
        }
        long idleMillis = TimeUnit.NANOSECONDS.toMillis(nanoTime.getAsLong() - lastActivity);
        long left = cc.dataTimeoutMillis - idleMillis;
        if (left > 0) {
            scheduleIdle(left);
            return;
        }
        ConnectHandler.info(req, "proxy_connect: connection timed out (110: Connection timed out) "
                + "while proxying connection");
        close();
    }
}
