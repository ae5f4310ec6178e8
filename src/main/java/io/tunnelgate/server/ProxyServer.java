package io.tunnelgate.server;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.unix.IntegerUnixChannelOption;
import io.netty.channel.unix.UnixChannelOption;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.tunnelgate.auth.AuthPool;
import io.tunnelgate.http.Addresses;
import io.tunnelgate.http.ConnectionBudget;
import io.tunnelgate.http.FrontendInitializer;
import io.tunnelgate.http.OpenConnections;
import io.tunnelgate.http.ListenSpec;
import io.tunnelgate.http.Services;
import io.tunnelgate.log.LogClock;
import io.tunnelgate.metrics.AuthStats;
import io.tunnelgate.metrics.RelayStats;
import io.tunnelgate.tunnel.SpliceReads;
import io.tunnelgate.resolve.ResolverPool;
import java.io.IOException;
import io.tunnelgate.http.UnixListenAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.LoggerFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The running proxy: event loops, bound listening sockets and the shared services. Started from a
 * {@link ProxyConfig}; {@link #stop()} stops accepting, closes every connection (tunnels log their
 * lines as they close) and waits for the event loops to finish.
 */
public final class ProxyServer implements AutoCloseable {
    /** Linux's IPPROTO_IPV6 / IPV6_V6ONLY, set through Netty's generic socket option. */
    private static final IntegerUnixChannelOption IPV6_V6ONLY = new IntegerUnixChannelOption("IPV6_V6ONLY", 41, 26);
    /**
     * Linux's IPPROTO_TCP / TCP_NOTSENT_LOWAT, generic like the one above: the epoll transport's own
     * option is known to its client sockets only, and a listening socket is where it must be set.
     */
    private static final IntegerUnixChannelOption TCP_NOTSENT_LOWAT =
            new IntegerUnixChannelOption("TCP_NOTSENT_LOWAT", 6, 25);
    /** Threads for file-system calls (file tests, static files): they wait on the disk, not the CPU. */
    private static final int BLOCKING_THREADS = 4;

    private final ProxyConfig config;
    private final EventLoopGroup loops;
    private final ResolverPool resolvers;
    private final ExecutorService blocking;
    private final ExecutorService authPool;
    private final Services services;
    private final OpenConnections clients = new OpenConnections();
    private final List<Channel> listeners = new ArrayList<>();
    /** The planned address of each of {@link #listeners}, in the same order. */
    private final List<SocketAddress> listenAddresses = new ArrayList<>();
    private final List<Path> unixSockets = new ArrayList<>();

    private ProxyServer(ProxyConfig config, LogClock clock) {
        this.config = config;
        ProcessConf p = config.process();
        this.loops = new MultiThreadIoEventLoopGroup(p.workers(),
                new DefaultThreadFactory("tunnelgate-loop", true), p.transport().ioHandlerFactory(p.busyPollMicros()));
        this.resolvers = new ResolverPool(p.transport().datagramChannels(), p.transport().socketChannels());
        this.blocking = Executors.newFixedThreadPool(BLOCKING_THREADS, new DefaultThreadFactory("tunnelgate-file", true));
        this.authPool = AuthPool.create();
        // upstream channels get the splice-aware read allocator before their first read
        this.services = new Services(p.transport().upstreamChannels(f -> SpliceReads.installing(notsentLowat(f, p))),
                resolvers,
                new ConnectionBudget(p.connectionLimit()), clock, System::nanoTime, blocking, authPool,
                new AuthStats(), new RelayStats());
    }

    /** {@code channels} with {@code tcp_notsent_lowat} set on each new socket, before it connects. */
    private static ChannelFactory<? extends Channel> notsentLowat(ChannelFactory<? extends Channel> channels,
                                                                ProcessConf p) {
        int bytes = p.notsentLowat();
        if (bytes == 0) {
            return channels;
        }
        return () -> {
            Channel ch = channels.newChannel();
            ch.config().setOption(TCP_NOTSENT_LOWAT, bytes);
            return ch;
        };
    }

    /**
     * Starts the event loops and binds every listening socket.
     *
     * @throws IOException naming the address that could not be bound, as nginx words it
     */
    public static ProxyServer start(ProxyConfig config, LogClock clock) throws IOException {
        ProxyServer server = new ProxyServer(config, clock);
        try {
            server.bindAll();
        } catch (IOException | RuntimeException e) {
            server.stop();
            throw e;
        }
        return server;
    }

    private void bindAll() throws IOException {
        config.http().resolvers().forEach(resolvers::prepare);
        Transport transport = config.process().transport();
        for (ListenPlan.Socket s : ListenPlan.plan(config.http().listens(), transport)) {
            ListenSpec opts = s.group().options();
            boolean reuse = opts.reuseport() && transport.supportsReusePort();
            if (reuse) {
                // one socket per event loop: the kernel spreads connections, each stays on its loop
                for (EventLoop loop : loopsOf(loops)) {
                    bind(s, loop, loop, true);
                }
            } else {
                bind(s, loops, loops, false);
            }
        }
    }

    private void bind(ListenPlan.Socket s, EventLoopGroup parent, EventLoopGroup children, boolean reusePort)
            throws IOException {
        Transport transport = config.process().transport();
        ListenSpec o = s.group().options();
        ServerBootstrap b = new ServerBootstrap()
                .group(parent, children)
                .option(ChannelOption.SO_BACKLOG, o.backlog() > 0 ? o.backlog() : 511)
                .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .childHandler(new FrontendInitializer(s.dispatch()::select, services, config.process().errorLog(), clients,
                        SpliceReads::install));
        SocketAddress address;
        if (s.address() instanceof UnixListenAddress unix) {
            if (Files.exists(unix.path(), java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                // Netty's native bind unlinks whatever is at the path first; nginx refuses instead,
                // and so does Tunnelgate: a config typo must not delete a file
                throw new IOException("bind() to " + unix + " failed (98: Address already in use)");
            }
            b.channelFactory(transport.domainServerChannels());
            address = transport.domainAddress(unix.path());
            unixSockets.add(unix.path());
        } else {
            InetSocketAddress inet = (InetSocketAddress) s.address();
            b.channelFactory(transport.serverChannels(inet.getAddress()))
                    // accepted sockets get TCP_NODELAY from Netty's defaults: no second setsockopt
                    .option(ChannelOption.SO_REUSEADDR, true);
            if (reusePort) {
                b.option(UnixChannelOption.SO_REUSEPORT, true);
            }
            Integer v6Only = transport.ipv6Only(inet.getAddress(), s.ipv6Only());
            if (v6Only != null) {
                b.option(IPV6_V6ONLY, v6Only);
            }
            int lowat = config.process().notsentLowat();
            if (lowat > 0) {
                // accepted sockets inherit it from the listening one: no system call per connection
                b.option(TCP_NOTSENT_LOWAT, lowat);
            }
            SocketOptions.apply(b, o, transport);
            address = inet;
        }
        try {
            listeners.add(b.bind(address).syncUninterruptibly().channel());
            listenAddresses.add(s.address());
        } catch (Exception e) {
            throw new IOException("bind() to " + Addresses.text(s.address()) + " failed (" + BindErrors.describe(e)
                    + ")", e);
        }
    }

    private static List<EventLoop> loopsOf(EventLoopGroup group) {
        List<EventLoop> out = new ArrayList<>();
        group.forEach(e -> out.add((EventLoop) e));
        return out;
    }

    /**
     * The addresses actually bound: IP sockets (with the port the kernel gave), and Unix sockets
     * as {@code unix:/path}. An IP socket is named by its listen's address: an IPv4 wildcard that
     * io_uring bound dual-stack (the kernel says {@code [::]}) serves only what {@code 0.0.0.0}
     * asked for.
     */
    public List<SocketAddress> boundAddresses() {
        List<SocketAddress> out = new ArrayList<>();
        for (int i = 0; i < listeners.size(); i++) {
            SocketAddress a = listeners.get(i).localAddress();
            out.add(a instanceof InetSocketAddress inet
                    ? new InetSocketAddress(((InetSocketAddress) listenAddresses.get(i)).getAddress(), inet.getPort())
                    : new UnixListenAddress(a.toString()));
        }
        return out;
    }

    public ProxyConfig config() {
        return config;
    }

    /** The event loops (for tests that must wait until work already queued on them has run). */
    public EventLoopGroup eventLoops() {
        return loops;
    }

    public Services services() {
        return services;
    }

    /**
     * Stops accepting, closes every client connection (each tunnel closes its upstream and writes
     * its log line), then shuts the event loops down.
     */
    public void stop() {
        for (Channel c : listeners) {
            c.close().syncUninterruptibly();
        }
        clients.closeAll(10, TimeUnit.SECONDS);
        // the resolvers' DNS sockets close while their loops still run: a datagram socket that
        // io_uring is reading into holds a buffer its loop must see completed to release it
        resolvers.close();
        loops.shutdownGracefully(0, 5, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
        blocking.shutdown();
        authPool.shutdown();
        // as nginx does at exit: the socket files would make the next start fail with EADDRINUSE
        for (Path p : unixSockets) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException e) {
                LoggerFactory.getLogger(ProxyServer.class).warn("cannot remove {}: {}", p, e.toString());
            }
        }
    }

    @Override
    public void close() {
        stop();
    }
}
