package io.tunnelgate.http;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerAdapter;
import io.netty.channel.ChannelHandlerContext;
import io.tunnelgate.log.ErrorLog;
import io.tunnelgate.log.LogLevel;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Sets up each accepted connection: checks the connection budget, finds the virtual hosts of the
 * address it arrived on, and installs {@code decoder -> front}.
 *
 * <p>Not a Netty {@code ChannelInitializer}: one of those shared by every connection guards against
 * initialising a channel twice with a {@code ConcurrentHashMap} that all event loops write to, twice
 * per connection. Netty calls {@code handlerAdded} exactly once, on the channel's own loop, after
 * it is registered, so that is where this one does its work.
 */
@ChannelHandler.Sharable
public final class FrontendInitializer extends ChannelHandlerAdapter {
    private static final AtomicLong CONNECTION_IDS = new AtomicLong();

    private final Function<InetSocketAddress, VirtualHosts> dispatch;
    private final Services services;
    private final ErrorLog mainLog;
    private final OpenConnections clients;
    private final Consumer<Channel> prepare;

    /**
     * @param dispatch the virtual hosts for a local address, or null to refuse the connection
     * @param mainLog where "worker_connections are not enough" goes
     * @param clients every accepted connection is added here, so shutdown can close them all
     * @param prepare runs first on every accepted channel, before it reads (the relay's receive allocator)
     */
    public FrontendInitializer(Function<InetSocketAddress, VirtualHosts> dispatch, Services services,
                               ErrorLog mainLog, OpenConnections clients, Consumer<Channel> prepare) {
        this.dispatch = dispatch;
        this.services = services;
        this.mainLog = mainLog;
        this.clients = clients;
        this.prepare = prepare;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        Channel ch = ctx.channel();
        try {
            ctx.pipeline().remove(this);
            prepare.accept(ch);
            init(ch);
        } catch (RuntimeException e) {
            // as ChannelInitializer does: a connection that could not be set up is closed, not left open
            mainLog.log(LogLevel.ALERT, "setting up a connection failed: " + e);
            ch.close();
        }
    }

    private void init(Channel ch) {
        VirtualHosts hosts = dispatch.apply(Addresses.normalize(ch.localAddress()));
        if (hosts == null) {
            ch.close();
            return;
        }
        if (!services.budget().tryAcquire()) {
            if (mainLog.enabled(LogLevel.ALERT)) {
                mainLog.log(LogLevel.ALERT, services.budget().limit() + " worker_connections are not enough");
            }
            ch.close();
            return;
        }
        ch.closeFuture().addListener(f -> services.budget().release());
        clients.add(ch);
        ClientConnection conn = new ClientConnection(CONNECTION_IDS.incrementAndGet(), ch, hosts, services);
        RequestDecoder decoder = new RequestDecoder(hosts.defaultServer().timeouts());
        ch.pipeline().addLast("http", decoder).addLast("front", new FrontendHandler(conn, decoder));
    }
}
