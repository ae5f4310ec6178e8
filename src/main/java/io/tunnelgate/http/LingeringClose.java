package io.tunnelgate.http;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Closes a connection after a final response the way nginx's lingering close does: send FIN,
 * then read and drop whatever the client still sends, and close on its EOF or after a quiet
 * period. Closing with unread input would make the kernel send RST, which can destroy the
 * response before the client reads it.
 */
public final class LingeringClose extends ChannelInboundHandlerAdapter {
    /** nginx's lingering_timeout: the longest wait for more client data. */
    static final long QUIET_MILLIS = 5_000;
    /** nginx's lingering_time: the longest the whole drain may take. */
    static final long MAX_MILLIS = 30_000;

    private final long startNanos = System.nanoTime();
    private ScheduledFuture<?> timer;

    private LingeringClose() {
    }

    /**
     * Replaces the channel's handlers with a drain and half-closes it. Call after the response
     * write completed.
     */
    public static void start(Channel ch) {
        if (!ch.isActive()) {
            ch.close();
            return;
        }
        ChannelPipeline p = ch.pipeline();
        while (p.first() != null) {
            p.removeFirst();
        }
        if (!(ch instanceof DuplexChannel duplex) || duplex.isInputShutdown()) {
            ch.close();
            return;
        }
        p.addLast(new LingeringClose());
        duplex.shutdownOutput().addListener(f -> {
            if (!f.isSuccess()) {
                ch.close();
            }
        });
        ch.config().setAutoRead(true);
        ch.read();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        timer = ctx.executor().schedule(() -> ctx.close(), QUIET_MILLIS, TimeUnit.MILLISECONDS);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ReferenceCountUtil.release(msg);
        timer.cancel(false);
        long left = MAX_MILLIS - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
        if (left <= 0) {
            ctx.close();
            return;
        }
        timer = ctx.executor().schedule(() -> ctx.close(), Math.min(QUIET_MILLIS, left), TimeUnit.MILLISECONDS);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent) {
            ctx.close();
        }
        ReferenceCountUtil.release(evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        timer.cancel(false);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
