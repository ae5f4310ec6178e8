package io.tunnelgate.tunnel;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.ChannelInputShutdownReadComplete;
import io.netty.util.ReferenceCountUtil;
import java.util.List;

/**
 * One direction of a tunnel: reads from its channel and writes to the peer, asking for the next
 * read only when the previous write has completed. At most one read buffer per direction is ever
 * held in user space, however slow the peer reads (bounded buffering).
 *
 * <p>It is also the listener of its own writes, so relaying allocates no listener per write.
 *
 * <p>With a {@link Splice} the bytes bypass it: it writes the early bytes, then the splice runs, and
 * after the source's FIN the rest of its bytes come here through buffers. The end of the source is
 * then the read that returns EOF ({@link ChannelInputShutdownReadComplete}), and an empty write
 * behind the spliced bytes tells when the pipe has been written out.
 */
final class RelayHandler extends ChannelInboundHandlerAdapter implements ChannelFutureListener {
    private final Relay tunnel;
    private final boolean fromClient;
    private final Channel peer;
    private ChannelHandlerContext ctx;
    private int writesInFlight;
    private long bytesInFlight;
    private boolean eof;
    /** Whether this direction may splice once {@link #untilSplice} runs out. */
    private boolean spliceable;
    /** Bytes still to arrive in bulk reads ({@link #BULK_READ}) before the splice starts. */
    private long untilSplice;
    /** The running or stopped splice; null while the bytes go through buffers. */
    private Splice splice;
    /** Set once a splice could not start: asks for the next read after Netty's read loop. */
    private Runnable readAfterLoop;

    /**
     * A read at least this large counts toward the splice threshold; smaller ones never do. An
     * interactive tunnel (one small message at a time: echo, SSH, a database's requests) costs
     * more per message spliced than copied, since every hop through a pipe is two splices and the
     * pipe's own locking instead of one read and one write; a bulk transfer finds several KiB
     * waiting at each read and gains from splicing at once.
     */
    static final int BULK_READ = 4096;

    RelayHandler(Relay tunnel, boolean fromClient, Channel peer) {
        this.tunnel = tunnel;
        this.fromClient = fromClient;
        this.peer = peer;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    /**
     * Moves this direction's bytes with splice(2) once {@code after} bytes have arrived in bulk
     * reads (0: from the first byte, after the early bytes).
     */
    void spliceAfter(long after) {
        this.spliceable = true;
        this.untilSplice = after;
    }

    /**
     * Writes bytes that arrived before the tunnel existed, then starts reading.
     *
     * @param ended the source already sent its FIN (possible only with half-close)
     */
    void start(List<ByteBuf> early, boolean ended) {
        eof = ended;
        // A write can complete inside forward(), running operationComplete at once: this extra
        // count keeps it from moving on (reading, or ending the direction) before every early
        // buffer is queued, and makes the step after the writes happen exactly once.
        writesInFlight++;
        for (ByteBuf b : early) {
            forward(b);
        }
        if (--writesInFlight == 0) {
            writesDone();
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf buf) || !buf.isReadable() || tunnel.isClosed()) {
            ReferenceCountUtil.release(msg);
            if (!tunnel.isClosed() && writesInFlight == 0 && !eof) {
                readMore();
            }
            return;
        }
        tunnel.activity(fromClient);
        if (spliceable && buf.readableBytes() >= BULK_READ) {
            untilSplice -= buf.readableBytes();
        }
        forward(buf);
    }

    private void forward(ByteBuf buf) {
        writesInFlight++;
        bytesInFlight += buf.readableBytes();
        peer.writeAndFlush(buf).addListener(this);
    }

    /** A write to the peer finished: a failure ends the tunnel; the last one moves on. */
    @Override
    public void operationComplete(ChannelFuture f) {
        writesInFlight--;
        if (!f.isSuccess()) {
            tunnel.close();
            return;
        }
        if (writesInFlight == 0) {
            writesDone();
        }
    }

    /** Every write so far has completed: count them, then read more, or finish this direction. */
    private void writesDone() {
        if (splice != null) {
            splice.settle();
        }
        tunnel.sent(fromClient, bytesInFlight);
        bytesInFlight = 0;
        if (eof) {
            tunnel.drained(this);
        } else if (!tunnel.isClosed()) {
            readMore();
        }
    }

    /**
     * The next read: a buffered one, or the splice's start once enough arrived in bulk; a running
     * or stopped splice reads by itself.
     */
    private void readMore() {
        if (splice != null) {
            return;
        }
        if (readAfterLoop != null) {
            ctx.executor().execute(readAfterLoop);
        } else if (spliceable && untilSplice <= 0) {
            splice = tunnel.splice(fromClient);
        } else {
            ctx.read();
        }
    }

    /**
     * The splice could not start (no pipe): this direction stays on buffers from here on. Netty's
     * read loop ends, on a channel that has ever spliced and reads with auto-read off, by dropping
     * the read interest, even one asked for during the loop; so each read is asked for from a task,
     * after the loop. Rare and slower (a task and an interest change per read), but it needs no
     * descriptor.
     */
    void spliceFellBack() {
        splice = null;
        readAfterLoop = () -> {
            if (writesInFlight == 0 && !eof && !tunnel.isClosed()) {
                ctx.read();
            }
        };
        ctx.executor().execute(readAfterLoop);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (splice != null) {
            splice.settle();
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent && splice != null) {
            // the peer's FIN, but bytes may still wait in the socket behind a full pipe
            splice.finSeen();
        } else if (evt instanceof ChannelInputShutdownEvent || evt instanceof ChannelInputShutdownReadComplete) {
            inputEnded();
        }
        ReferenceCountUtil.release(evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        inputEnded();
    }

    private void inputEnded() {
        if (eof) {
            return;
        }
        eof = true;
        if (splice != null) {
            splice.stop();
            // completes once everything written before it, spliced bytes included, has been written
            forward(Unpooled.EMPTY_BUFFER);
        } else if (writesInFlight == 0) {
            tunnel.drained(this);
        }
    }

    /** The relay ends: spliced bytes the target has written count, and splicing stops. */
    void closing() {
        if (splice != null) {
            splice.settle();
            splice.stop();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        tunnel.failed(cause);
    }

    /** The channel this direction reads from. */
    Channel channel() {
        return ctx.channel();
    }

    /** The channel this direction writes to. */
    Channel peer() {
        return peer;
    }
}
