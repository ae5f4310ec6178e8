package io.tunnelgate.server;

import io.netty.channel.ChannelFactory;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerDomainSocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.channels.spi.SelectorProvider;

/**
 * The event-loop transport, chosen once at start: native epoll on Linux (the default where it
 * loads), or the JDK's NIO. Everything that opens sockets asks this for its channel types, so
 * listeners, upstream connections and DNS all run on one kind of event loop.
 */
public enum Transport {
    /** Linux epoll through Netty's native library. */
    EPOLL("epoll"),
    /** The JDK's NIO selector; works everywhere. */
    NIO("nio");

    private final String label;

    Transport(String label) {
        this.label = label;
    }

    /** The name used in {@code events { use ...; }} and in the start-up line. */
    public String label() {
        return label;
    }

    /** The default: epoll when the native library loads, else NIO. */
    public static Transport preferred() {
        return Epoll.isAvailable() ? EPOLL : NIO;
    }

    /** Whether this transport can run here; for epoll, why not is {@link Epoll#unavailabilityCause()}. */
    public boolean isAvailable() {
        return this == NIO || Epoll.isAvailable();
    }

    IoHandlerFactory ioHandlerFactory() {
        return this == EPOLL ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    }

    /**
     * Listening sockets for {@code address}. An IPv4 address gets an IPv4 socket: by default both
     * transports open dual-stack IPv6 sockets, on which {@code 0.0.0.0} binds {@code [::]} for both
     * families, so {@code listen 80} would take IPv6 clients and collide with {@code listen [::]:80}.
     */
    ChannelFactory<? extends ServerChannel> serverChannels(InetAddress address) {
        SocketProtocolFamily family = address instanceof Inet4Address ? SocketProtocolFamily.INET : null;
        return this == EPOLL
                ? () -> new EpollServerSocketChannel(family)
                : () -> new NioServerSocketChannel(SelectorProvider.provider(), family);
    }

    /** Listening Unix domain sockets ({@code listen unix:/path}). */
    ChannelFactory<? extends ServerChannel> domainServerChannels() {
        return this == EPOLL ? EpollServerDomainSocketChannel::new : NioServerDomainSocketChannel::new;
    }

    /** The transport's own address type for a Unix socket path. */
    SocketAddress domainAddress(Path path) {
        return this == EPOLL ? new DomainSocketAddress(path.toString()) : UnixDomainSocketAddress.of(path);
    }

    ChannelFactory<? extends SocketChannel> socketChannels() {
        return this == EPOLL ? EpollSocketChannel::new : NioSocketChannel::new;
    }

    ChannelFactory<? extends DatagramChannel> datagramChannels() {
        return this == EPOLL ? EpollDatagramChannel::new : NioDatagramChannel::new;
    }

    /**
     * Whether listening sockets can be made IPv6-only, so that {@code [::]:p} and
     * {@code 0.0.0.0:p} bind side by side as in nginx. NIO has no such option.
     */
    boolean supportsIpv6Only() {
        return this == EPOLL;
    }

    /** Whether SO_REUSEPORT (nginx's {@code reuseport}) is available. */
    boolean supportsReusePort() {
        return this == EPOLL;
    }
}
