package io.tunnelgate.http;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.EventLoop;
import java.net.InetAddress;

/**
 * Opens client sockets for upstream connections on the listeners' transport, in the family of the
 * address dialled: an IPv4 peer gets an IPv4 socket, as in nginx, rather than a dual-stack IPv6 one
 * speaking to a mapped address (which costs an extra setsockopt per connection).
 */
@FunctionalInterface
public interface UpstreamChannels {
    /** The channels to dial {@code peer} with. */
    ChannelFactory<? extends Channel> to(InetAddress peer);

    /**
     * A dial of {@code peer}, already resolved, on {@code loop}. Netty's resolver group is left out:
     * looking it up takes a lock every event loop shares, on every connect, even for an address that
     * needs no resolving. TCP_NODELAY is Netty's default on every transport; setting it again would
     * cost a syscall.
     */
    default Bootstrap bootstrap(EventLoop loop, InetAddress peer) {
        return new Bootstrap().group(loop).channelFactory(to(peer)).disableResolver();
    }
}
