package io.tunnelgate.http;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.group.ChannelGroup;
import io.tunnelgate.log.ErrorLog;
import io.tunnelgate.log.LogLevel;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * Sets up each accepted connection: checks the connection budget, finds the virtual hosts of the
 * address it arrived on, and installs {@code decoder -> front}.
 */
public final class FrontendInitializer extends ChannelInitializer<Channel> {
    private static final AtomicLong CONNECTION_IDS = new AtomicLong();

    private final Function<InetSocketAddress, VirtualHosts> dispatch;
    private final Services services;
    private final ErrorLog mainLog;
    private final ChannelGroup clients;

    /**
     * @param dispatch the virtual hosts for a local address, or null to refuse the connection
     * @param mainLog where "worker_connections are not enough" goes
     * @param clients every accepted connection is added here, so shutdown can close them all
     */
    public FrontendInitializer(Function<InetSocketAddress, VirtualHosts> dispatch, Services services,
                               ErrorLog mainLog, ChannelGroup clients) {
        this.dispatch = dispatch;
        this.services = services;
        this.mainLog = mainLog;
        this.clients = clients;
    }

    @Override
    protected void initChannel(Channel ch) {
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
