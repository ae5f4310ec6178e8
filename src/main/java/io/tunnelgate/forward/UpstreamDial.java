package io.tunnelgate.forward;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.tunnelgate.http.ConnectionBudget;
import io.tunnelgate.http.Request;
import java.net.InetSocketAddress;

/**
 * Opens a new upstream TCP connection for a forwarded request, on the client's event loop and
 * within the {@code worker_connections} budget (an idle pooled connection is closed to make room
 * when the budget is spent). The destination policy was applied by the caller to this very
 * address.
 */
final class UpstreamDial {
    private UpstreamDial() {
    }

    /** The pending connect, or null when no connection may be opened now. */
    static ChannelFuture open(Request req, ForwardConf conf, InetSocketAddress address) {
        ConnectionBudget budget = req.connection().services().budget();
        if (!budget.tryAcquire() && !(UpstreamPool.current().evictOne() && budget.tryAcquire())) {
            return null;
        }
        Channel client = req.connection().channel();
        ChannelFuture f = req.connection().services().upstreamChannels()
                .bootstrap(client.eventLoop(), address.getAddress())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, conf.connectMillis()))
                .handler(new ChannelInboundHandlerAdapter())
                .connect(address);
        f.channel().closeFuture().addListener(x -> budget.release());
        return f;
    }
}
