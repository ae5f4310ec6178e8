package io.tunnelgate.resolve;

import io.netty.channel.ChannelFactory;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.SocketChannel;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The resolvers of a running proxy, one {@link Resolvers} per distinct {@code resolver}
 * configuration (servers, valid=, ipv4/ipv6, timeout), created on first use and shared by every
 * server that configures the same thing.
 */
public final class ResolverPool implements AutoCloseable {
    private final ChannelFactory<? extends DatagramChannel> udp;
    private final ChannelFactory<? extends SocketChannel> tcp;
    private final ConcurrentHashMap<ResolverSpec, Resolvers> bySpec = new ConcurrentHashMap<>();

    public ResolverPool(ChannelFactory<? extends DatagramChannel> udp, ChannelFactory<? extends SocketChannel> tcp) {
        this.udp = udp;
        this.tcp = tcp;
    }

    /**
     * Builds the resolvers for a configured spec ahead of use. Building reads files (resolv.conf,
     * hosts) and must happen on the starting thread, never on an event loop.
     */
    public void prepare(ResolverSpec spec) {
        bySpec.computeIfAbsent(spec, s -> new Resolvers(s, udp, tcp));
    }

    /** The resolver for {@code spec} on {@code loop}, whose futures complete on that loop. */
    public NameResolver resolver(ResolverSpec spec, EventLoop loop) {
        return bySpec.computeIfAbsent(spec, s -> new Resolvers(s, udp, tcp)).forLoop(loop);
    }

    @Override
    public void close() {
        bySpec.values().forEach(Resolvers::close);
        bySpec.clear();
    }
}
