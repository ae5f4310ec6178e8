package io.tunnelgate.tunnel;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.socket.DuplexChannel;
import io.netty.util.concurrent.ScheduledFuture;
import io.tunnelgate.http.IoErrors;
import io.tunnelgate.http.Request;
import io.tunnelgate.http.RequestEnd;
import io.tunnelgate.metrics.RelayStats;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Two connections relaying bytes both ways until one side is done: an established CONNECT tunnel
 * (spec §3.8), or an HTTP connection upgraded by a 101 (WebSocket). The two relay directions, one
 * idle timer for both, byte counts for the access log, and how it ends.
 *
 * <p>Both channels run on the client's event loop, so nothing here is shared between threads. By
 * default the first EOF of either side, once the data read before it has been written on, closes
 * both connections, as the module does; with half-close each FIN is passed on and the relay ends
 * when both directions have.
 *
 * <p>Where both connections allow it ({@link Splice#possible}) and {@code relay_splice} is on, the
 * bytes move with splice(2) instead of through user-space buffers; everything else here (timer,
 * counts, ends) stays the same.
 */
public final class Relay {
    private static final Logger LOG = LoggerFactory.getLogger(Relay.class);

    /** What the owner of a relay learns from it. */
    public interface Events {
        /** The first bytes from the upstream arrived (timed for the access log). */
        void firstUpstreamByte(long nanos);

        /** Logs why the relay ended idle (the idle timer fired). */
        void idleTimeout();
    }

    private final Request req;
    private final long idleMillis;
    private final boolean halfClose;
    /**
     * {@code relay_splice on}: a direction splices once this much has arrived in bulk reads
     * ({@link RelayHandler#BULK_READ}), so idle and interactive tunnels never hold the two pipes
     * (four descriptors, and kernel memory) splicing needs, while a bulk transfer switches within
     * its first few reads.
     */
    public static final long SPLICE_AFTER_DEFAULT = 64 * 1024;

    private final long spliceAfter;
    private final Events events;
    private final Channel client;
    private final Channel upstream;
    private final LongSupplier nanoTime;
    private final RelayHandler fromClient;
    private final RelayHandler fromUpstream;
    private int directionsDone;
    private boolean closed;
    private boolean firstByteSeen;
    private long lastActivity;
    private ScheduledFuture<?> idleTimer;

    /**
     * @param idleMillis how long both directions may be quiet before the relay ends
     * @param halfClose pass each FIN on instead of ending at the first EOF
     * @param spliceAfter {@code relay_splice}: bytes a direction reads in bulk reads before it
     *     splices, where the connections allow it; 0 from the first byte, -1 never
     */
    public Relay(Request req, Channel client, Channel upstream, long idleMillis, boolean halfClose, long spliceAfter,
                 Events events) {
        this.req = req;
        this.idleMillis = idleMillis;
        this.halfClose = halfClose;
        this.spliceAfter = spliceAfter;
        this.events = events;
        this.client = client;
        this.upstream = upstream;
        this.nanoTime = req.connection().services().nanoTime();
        this.fromClient = new RelayHandler(this, true, upstream);
        this.fromUpstream = new RelayHandler(this, false, client);
    }

    /**
     * Starts relaying: the relay handlers go last in both pipelines (the caller has removed its
     * own), the client's early bytes go upstream first, and both sides are read.
     *
     * @param early bytes the client sent before the relay existed, in order; the relay owns them
     * @param clientFinished the client already sent its FIN (possible only with half-close)
     */
    public void start(List<ByteBuf> early, boolean clientFinished) {
        client.config().setAutoRead(false);
        upstream.config().setAutoRead(false);
        client.pipeline().addLast("relay", fromClient);
        upstream.pipeline().addLast("relay", fromUpstream);
        chooseSplice();
        lastActivity = nanoTime.getAsLong();
        scheduleIdle(idleMillis);
        fromUpstream.start(List.of(), false);
        fromClient.start(early, clientFinished);
    }

    /** Splices both directions when wanted and possible; counts which path the relay took. */
    private void chooseSplice() {
        boolean spliceWanted = spliceAfter >= 0;
        boolean splice = spliceWanted && Splice.possible(client, upstream);
        RelayStats stats = req.connection().services().relayStats();
        stats.relayStarted(splice);
        if (splice) {
            fromClient.spliceAfter(spliceAfter);
            fromUpstream.spliceAfter(spliceAfter);
        }
        if (LOG.isDebugEnabled()) {
            LOG.debug("*{} relay: {}", req.connection().id(), splice ? "splice"
                    : spliceWanted ? "buffers (splice not possible here)" : "buffers (relay_splice off)");
        }
    }

    /**
     * A direction starts splicing, from the client or from the upstream. Made only now, not when the
     * relay starts: most tunnels never reach the threshold, and an idle one holds nothing for it.
     */
    Splice splice(boolean fromClient) {
        Channel source = fromClient ? client : upstream;
        Channel target = fromClient ? upstream : client;
        Splice s = new Splice(this, fromClient, source, target, req.connection().services().relayStats());
        s.start();
        return s;
    }

    /** A direction's splice could not start: it goes on through buffers (logged at debug level). */
    void spliceFellBack(boolean fromClient, Throwable cause) {
        if (LOG.isDebugEnabled()) {
            LOG.debug("*{} relay: splice from the {} could not start ({}); buffers instead", req.connection().id(),
                    fromClient ? "client" : "upstream", cause.toString());
        }
        (fromClient ? this.fromClient : fromUpstream).spliceFellBack();
    }

    boolean isClosed() {
        return closed;
    }

    /** Bytes arrived on one side: the relay is not idle; the first upstream byte is timed. */
    void activity(boolean clientSide) {
        lastActivity = nanoTime.getAsLong();
        if (!clientSide && !firstByteSeen) {
            firstByteSeen = true;
            events.firstUpstreamByte(lastActivity);
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
        if (!halfClose || ++directionsDone == 2
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

    /** Ends the relay: upstream closes now, the client after its access-log line is written. */
    void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (idleTimer != null) {
            idleTimer.cancel(false);
        }
        fromClient.closing();
        fromUpstream.closing();
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
        long left = this.idleMillis - idleMillis;
        if (left > 0) {
            scheduleIdle(left);
            return;
        }
        events.idleTimeout();
        close();
    }
}
