package io.tunnelgate.http;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
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
}
