package io.tunnelgate.tunnel;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.util.ReferenceCountUtil;
import java.util.List;

/**
 * One direction of a tunnel: reads from its channel and writes to the peer, asking for the next
 * read only when the previous write has completed. At most one read buffer per direction is ever
 * held in user space, however slow the peer reads (bounded buffering).
 *
 * <p>It is also the listener of its own writes, so relaying allocates no listener per write.
 */
final class RelayHandler extends ChannelInboundHandlerAdapter implements ChannelFutureListener {
    private final Relay tunnel;
    private final boolean fromClient;
    private final Channel peer;
    private ChannelHandlerContext ctx;
    private int writesInFlight;
    private long bytesInFlight;
    private boolean eof;

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
                ctx.read();
            }
            return;
        }
        tunnel.activity(fromClient);
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
        tunnel.sent(fromClient, bytesInFlight);
        bytesInFlight = 0;
        if (eof) {
            tunnel.drained(this);
        } else if (!tunnel.isClosed()) {
            ctx.read();
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent) {
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
        if (writesInFlight == 0) {
            tunnel.drained(this);
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
