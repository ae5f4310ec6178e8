package io.tunnelgate.server;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.ChannelOption;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
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
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringChannelOption;
import io.netty.channel.uring.IoUringDatagramChannel;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerDomainSocketChannel;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.channel.uring.IoUringSocketChannel;
import io.tunnelgate.http.UpstreamChannels;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.spi.SelectorProvider;
import java.nio.file.Path;
import java.util.function.UnaryOperator;

/**
 * The event-loop transport, chosen once at start: native epoll on Linux (the default where it
 * loads), native io_uring when {@code events { use io_uring; }} asks for it, or the JDK's NIO.
 * Everything that opens sockets asks this for its channel types, so listeners, upstream
 * connections and DNS all run on one kind of event loop.
 */
public enum Transport {
    /** Linux epoll through Netty's native library. */
    EPOLL("epoll"),
    /** Linux io_uring through Netty's native library (kernel 5.14 or later); only when asked for. */
    IO_URING("io_uring"),
    /** The JDK's NIO selector; works everywhere. */
    NIO("nio");

    /**
     * TCP_KEEPIDLE, TCP_KEEPINTVL and TCP_KEEPCNT as one native transport's socket configs know
     * them (each transport has its own constants for these).
     */
    record KeepAliveOptions(ChannelOption<Integer> idle, ChannelOption<Integer> interval,
                            ChannelOption<Integer> count) {
    }

    private final String label;

    Transport(String label) {
        this.label = label;
    }

    /** The name used in {@code events { use ...; }} and in the start-up line. */
    public String label() {
        return label;
    }

    /** The transport named {@code label} in {@code use}, or null for a name that is none of them. */
    static Transport named(String label) {
        for (Transport t : values()) {
            if (t.label.equals(label)) {
                return t;
            }
        }
        return null;
    }

    /** The default: epoll when the native library loads, else NIO; io_uring only when asked for. */
    public static Transport preferred() {
        return Epoll.isAvailable() ? EPOLL : NIO;
    }

    /** Whether this transport can run here; if not, {@link #unavailabilityCause()} says why. */
    public boolean isAvailable() {
        return unavailabilityCause() == null;
    }

    /** Why this transport cannot run here (the native library's own reason), or null when it can. */
    public Throwable unavailabilityCause() {
        return switch (this) {
            case EPOLL -> Epoll.unavailabilityCause();
            case IO_URING -> IoUring.unavailabilityCause();
            case NIO -> null;
        };
    }

    /** The event loops' handler; an epoll loop polls {@code busyPollMicros} before it sleeps (0: never). */
    IoHandlerFactory ioHandlerFactory(int busyPollMicros) {
        return switch (this) {
            case EPOLL -> EpollHandler.factory(busyPollMicros);
            case IO_URING -> IoUringIoHandler.newFactory();
            case NIO -> NioIoHandler.newFactory();
        };
    }

    /**
     * Listening sockets for {@code address}. An IPv4 address gets an IPv4 socket: by default epoll
     * and NIO open dual-stack IPv6 sockets, on which {@code 0.0.0.0} binds {@code [::]} for both
     * families, so {@code listen 80} would take IPv6 clients and collide with {@code listen [::]:80}.
     * io_uring's server channel has no family to choose: a specific IPv4 address is bound as its
     * IPv4-mapped IPv6 address, which takes IPv4 clients only, but {@code 0.0.0.0} becomes
     * {@code [::]} (see {@link #dualStackIpv4Wildcard()}).
     */
    ChannelFactory<? extends ServerChannel> serverChannels(InetAddress address) {
        SocketProtocolFamily family = address instanceof Inet4Address ? SocketProtocolFamily.INET : null;
        return switch (this) {
            case EPOLL -> () -> new EpollServerSocketChannel(family);
            case IO_URING -> IoUringServerSocketChannel::new;
            case NIO -> () -> new NioServerSocketChannel(SelectorProvider.provider(), family);
        };
    }

    /**
     * The IPV6_V6ONLY value of a listening socket on {@code address}, or null to leave it alone.
     * An IPv6 address: {@code wanted} (nginx's {@code ipv6only}) where the transport can set it.
     * An IPv4 address: epoll and NIO open IPv4 sockets; io_uring's are IPv6 sockets where the host
     * has IPv6, and an IPv4-mapped address cannot be bound on an IPv6-only one, which they are by
     * default where {@code net.ipv6.bindv6only=1}, so io_uring turns it off.
     */
    Integer ipv6Only(InetAddress address, boolean wanted) {
        if (!(address instanceof Inet4Address)) {
            return supportsIpv6Only() ? (wanted ? 1 : 0) : null;
        }
        return this == IO_URING && io.netty.channel.unix.Socket.isIPv6Preferred() ? 0 : null;
    }

    /**
     * Whether a socket bound to {@code 0.0.0.0} takes IPv6 clients too: io_uring's listening
     * sockets are IPv6 ones (where the host has IPv6) and Netty binds the IPv4 wildcard on them
     * as {@code [::]}, dual-stack. {@link ListenPlan} then lets one socket serve both wildcards.
     */
    boolean dualStackIpv4Wildcard() {
        return this == IO_URING;
    }

    /** Listening Unix domain sockets ({@code listen unix:/path}). */
    ChannelFactory<? extends ServerChannel> domainServerChannels() {
        return switch (this) {
            case EPOLL -> EpollServerDomainSocketChannel::new;
            case IO_URING -> IoUringServerDomainSocketChannel::new;
            case NIO -> NioServerDomainSocketChannel::new;
        };
    }

    /** The transport's own address type for a Unix socket path (both native ones share Netty's). */
    SocketAddress domainAddress(Path path) {
        return this == NIO ? UnixDomainSocketAddress.of(path) : new DomainSocketAddress(path.toString());
    }

    /**
     * Client sockets for upstream connections, opened in the peer's family where the transport lets
     * us choose (epoll, NIO); io_uring's socket channel is always a dual-stack IPv6 one.
     * {@code decorate} is applied once to each family's factory (set-up every channel needs).
     */
    UpstreamChannels upstreamChannels(UnaryOperator<ChannelFactory<? extends Channel>> decorate) {
        ChannelFactory<? extends Channel> v4 = decorate.apply(socketChannels(SocketProtocolFamily.INET));
        ChannelFactory<? extends Channel> v6 = decorate.apply(socketChannels(SocketProtocolFamily.INET6));
        return peer -> peer instanceof Inet4Address ? v4 : v6;
    }

    /** Client sockets of the transport's default family (the resolver's TCP connections). */
    ChannelFactory<? extends SocketChannel> socketChannels() {
        return socketChannels(null);
    }

    /** Client sockets of {@code family}, or of the transport's default one when null. */
    private ChannelFactory<? extends SocketChannel> socketChannels(SocketProtocolFamily family) {
        return switch (this) {
            case EPOLL -> () -> new EpollSocketChannel(family);
            case IO_URING -> IoUringSocketChannel::new;
            case NIO -> () -> new NioSocketChannel(SelectorProvider.provider(), family);
        };
    }

    ChannelFactory<? extends DatagramChannel> datagramChannels() {
        return switch (this) {
            case EPOLL -> EpollDatagramChannel::new;
            case IO_URING -> IoUringDatagramChannel::new;
            case NIO -> NioDatagramChannel::new;
        };
    }

    /** The keepalive tuning options of {@code so_keepalive=idle:intvl:cnt}, or null where NIO cannot set them. */
    KeepAliveOptions keepAliveOptions() {
        return switch (this) {
            case EPOLL -> new KeepAliveOptions(EpollChannelOption.TCP_KEEPIDLE, EpollChannelOption.TCP_KEEPINTVL,
                    EpollChannelOption.TCP_KEEPCNT);
            case IO_URING -> new KeepAliveOptions(IoUringChannelOption.TCP_KEEPIDLE,
                    IoUringChannelOption.TCP_KEEPINTVL, IoUringChannelOption.TCP_KEEPCNT);
            case NIO -> null;
        };
    }

    /** Whether sockets take TCP_NOTSENT_LOWAT ({@code tcp_notsent_lowat}); NIO has no such option. */
    boolean supportsNotsentLowat() {
        return this != NIO;
    }

    /**
     * Whether listening sockets can be made IPv6-only, so that {@code [::]:p} and
     * {@code 0.0.0.0:p} bind side by side as in nginx. NIO has no such option.
     */
    boolean supportsIpv6Only() {
        return this != NIO;
    }

    /** Whether SO_REUSEPORT (nginx's {@code reuseport}) is available. */
    boolean supportsReusePort() {
        return this != NIO;
    }
}
