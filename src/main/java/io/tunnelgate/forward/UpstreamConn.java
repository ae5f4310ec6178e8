package io.tunnelgate.forward;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;

/**
 * One upstream HTTP connection, used by one request at a time and kept in the
 * {@link UpstreamPool} between requests. Its pipeline is [counter, decoder, this handler]; the
 * handler passes events to the exchange that owns the connection, or, while the connection is
 * idle, closes it on anything the origin sends (an idle HTTP/1.1 connection has nothing to say,
 * so data or EOF there means it is unusable, and it is dropped before anyone reuses it).
 */
final class UpstreamConn extends ChannelInboundHandlerAdapter {
    /** What an exchange hears from the connection it owns. */
    interface Owner {
        void upstreamRead(Object msg);

        void upstreamReadComplete();

        void upstreamClosed();

        void upstreamFailed(Throwable cause);

        void upstreamWritabilityChanged(boolean writable);
    }

    final Channel channel;
    final InetSocketAddress peer;
    final ResponseDecoder decoder;
    final ByteCounter counter;
    final long createdNanos;
    /** Requests sent on this connection so far. */
    int requests;
    /** Set while the connection sits in the pool. */
    ScheduledFuture<?> idleTimer;
    private Owner owner;

    UpstreamConn(Channel channel, InetSocketAddress peer, int maxHead, long createdNanos) {
        this.channel = channel;
        this.peer = peer;
        this.decoder = new ResponseDecoder(maxHead);
        this.counter = new ByteCounter();
        this.createdNanos = createdNanos;
        channel.pipeline().addLast("count", counter).addLast("decode", decoder).addLast("exchange", this);
        // runs on the connection's loop, whose pool is the one that may hold it
        channel.closeFuture().addListener(f -> UpstreamPool.current().remove(this));
    }

    void owner(Owner owner) {
        this.owner = owner;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (owner != null) {
            owner.upstreamRead(msg);
            return;
        }
        ReferenceCountUtil.release(msg);
        ctx.close();
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (owner != null) {
            owner.upstreamReadComplete();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (owner != null) {
            owner.upstreamClosed();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (owner != null) {
            owner.upstreamFailed(cause);
        } else {
            ctx.close();
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (owner != null) {
            owner.upstreamWritabilityChanged(ctx.channel().isWritable());
        }
    }
}
