package io.tunnelgate.forward;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;

/**
 * First in an upstream connection's pipeline: counts the bytes read and written, for
 * {@code $upstream_bytes_received} and {@code $upstream_bytes_sent}. The exchange using the
 * connection reads and resets the counts.
 */
final class ByteCounter extends ChannelDuplexHandler {
    long received;
    long sent;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf buf) {
            received += buf.readableBytes();
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof ByteBuf buf) {
            sent += buf.readableBytes();
        }
        ctx.write(msg, promise);
    }

    void reset() {
        received = 0;
        sent = 0;
    }
}
