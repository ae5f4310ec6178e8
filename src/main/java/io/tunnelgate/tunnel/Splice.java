package io.tunnelgate.tunnel;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.epoll.AbstractEpollStreamChannel;
import io.netty.channel.socket.DuplexChannelConfig;
import io.tunnelgate.metrics.RelayStats;
import java.nio.channels.ClosedChannelException;
import java.util.Map;

/**
 * One relay direction moved by splice(2) (Netty's {@code spliceTo}): socket to pipe to socket inside
 * the kernel, the bytes never copied into the JVM. The {@link RelayHandler} of the direction still
 * writes the early bytes, notices the ends and owns the end-of-data logic; this class starts and
 * stops the splice and turns what {@link SpliceReads} reports into activity and byte counts.
 *
 * <p>Backpressure is Netty's: when the target cannot take a splice at once, the source stops reading
 * (auto-read off) until it has, so the pipe of the target (64 KiB) is the only buffer.
 *
 * <p>The end of the source needs care: Netty reports the peer's FIN as soon as epoll says so, while
 * bytes may still wait in the socket behind a full pipe. So the FIN only stops splicing; the rest
 * (all of it already in the socket, since the FIN came behind it) is read through buffers until the
 * read that returns EOF (see {@link RelayHandler}).
 */
final class Splice implements ChannelFutureListener {
    /** Thrown into Netty's splice task, from {@link SpliceReads}, to end it; it never leaves the task. */
    static final class Stopped extends RuntimeException {
        Stopped() {
            super("splice stopped", null, false, false);
        }
    }

    /** Where the direction is. */
    private enum State {
        /** Netty's splice task runs on the source with auto-read on. */
        RUNNING,
        /** Splicing ended (FIN seen, or the relay closed); what is left is read through buffers, if at all. */
        STOPPED
    }

    private final Relay relay;
    private final boolean fromClient;
    private final AbstractEpollStreamChannel source;
    private final AbstractEpollStreamChannel target;
    private final RelayStats stats;
    private State state = State.RUNNING;
    /** Bytes spliced into the pipe that are not yet known to have been written to the target. */
    private long pending;
    /** Whether any byte went into the pipe: until then a failure means splicing could not start. */
    private boolean moved;

    Splice(Relay relay, boolean fromClient, Channel source, Channel target, RelayStats stats) {
        this.relay = relay;
        this.fromClient = fromClient;
        this.source = (AbstractEpollStreamChannel) source;
        this.target = (AbstractEpollStreamChannel) target;
        this.stats = stats;
    }

    /**
     * Whether two connections of a relay can splice: both epoll stream channels on one event loop,
     * both opened with {@link SpliceReads}, and nothing else in either pipeline, since bytes that
     * bypass the pipeline would bypass any handler that works on them (TLS, a codec, a counter).
     */
    static boolean possible(Channel client, Channel upstream) {
        return client instanceof AbstractEpollStreamChannel && upstream instanceof AbstractEpollStreamChannel
                && client.eventLoop() == upstream.eventLoop()
                && SpliceReads.of(client) != null && SpliceReads.of(upstream) != null
                && client.config() instanceof DuplexChannelConfig && upstream.config() instanceof DuplexChannelConfig
                && onlyRelay(client) && onlyRelay(upstream);
    }

    /** The relay's handler, or the do-nothing handler a Bootstrap needs, and nothing else. */
    private static boolean onlyRelay(Channel ch) {
        for (Map.Entry<String, ChannelHandler> e : ch.pipeline()) {
            ChannelHandler h = e.getValue();
            if (!(h instanceof RelayHandler) && h.getClass() != ChannelInboundHandlerAdapter.class) {
                return false;
            }
        }
        return true;
    }

    /**
     * Starts splicing for good (no length: until stopped); auto-read lets Netty pace it. The
     * source's FIN must from now on arrive as an event, not as a close, since Netty would otherwise
     * close it at the FIN with bytes still unread in the socket.
     */
    @SuppressWarnings("deprecation")
    void start() {
        ((DuplexChannelConfig) source.config()).setAllowHalfClosure(true);
        SpliceReads.of(source).watch(this);
        source.spliceTo(target, Integer.MAX_VALUE, source.newPromise()).addListener(this);
        source.config().setAutoRead(true);
    }

    /**
     * Asked before each splice round: false ends Netty's task. A closed target has closed its pipe,
     * whose descriptor number the kernel may already have given to another connection.
     */
    boolean mayContinue() {
        return state == State.RUNNING && target.isOpen();
    }

    /** One splice(2) moved {@code n} bytes into the pipe: activity now, counted once written. */
    void spliced(int n) {
        if (relay.isClosed()) {
            return;
        }
        moved = true;
        pending += n;
        stats.splicedBytes(n);
        relay.activity(fromClient);
    }

    /**
     * Counts the spliced bytes as sent once the target has nothing left to write, as the buffered
     * path counts a write when it completes; bytes still in the pipe are counted later or, if the
     * relay dies first, never.
     */
    void settle() {
        if (pending == 0) {
            return;
        }
        ChannelOutboundBuffer out = target.unsafe().outboundBuffer();
        if (out != null && out.isEmpty()) {
            long n = pending;
            pending = 0;
            relay.sent(fromClient, n);
        }
    }

    /** Stops splicing for good (the relay ends): Netty drops its task at the next round, and reading stops. */
    void stop() {
        if (state == State.RUNNING) {
            source.config().setAutoRead(false);
        }
        state = State.STOPPED;
    }

    /**
     * The source's FIN arrived: Netty drops the splice task at the next round and the rest of the
     * bytes are read into buffers to the EOF. Auto-read goes on (it may be off while the target
     * catches up): with the FIN handled and reading off, the channel would wait for nothing, and
     * Netty 4.2.18 then removes it from epoll for good, failing every later attempt to read.
     */
    void finSeen() {
        if (state == State.RUNNING) {
            source.config().setAutoRead(true);
        }
        state = State.STOPPED;
    }

    /**
     * The splice failed (it never succeeds: it has no length). Stopping it and the source closing
     * are expected. A failure before the first byte means splicing could not start, most often
     * because the process is out of descriptors for the pipe (EMFILE): the direction goes on
     * through buffers, which need no descriptor. Anything else (a reset on either side) ends the
     * relay.
     */
    @Override
    public void operationComplete(ChannelFuture f) {
        Throwable cause = f.cause();
        if (cause == null || cause instanceof Stopped || relay.isClosed()
                || cause instanceof ClosedChannelException && !source.isOpen()) {
            return;
        }
        if (!moved && state == State.RUNNING) {
            // Netty has dropped the task; reading stops here (this runs inside its read loop, which
            // then ends) and the direction asks for its next read through buffers
            state = State.STOPPED;
            source.config().setAutoRead(false);
            SpliceReads.of(source).watch(null);
            stats.spliceFellBack();
            relay.spliceFellBack(fromClient, cause);
            return;
        }
        relay.failed(cause);
    }
}
