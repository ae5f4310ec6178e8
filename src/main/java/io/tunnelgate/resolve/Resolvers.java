package io.tunnelgate.resolve;

import io.netty.channel.ChannelFactory;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.SocketChannel;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The resolvers of one {@code resolver} directive: one {@link NameResolver} per event loop, created on
 * first use, all sharing one answer cache (so a name looked up on one loop is cached for every loop)
 * and, for configured servers, one server rotation.
 *
 * <p>Construct on the config thread: {@code resolver system} reads the hosts file and resolv.conf here,
 * and Netty's one-time static set-up reads files too. {@link #forLoop} never blocks and may be called on
 * any thread, event loops included. Close after the last lookup: lookups still pending then fail with
 * code 110 when their timeout expires.
 */
public final class Resolvers implements AutoCloseable {

    /** nginx's {@code resend_timeout}: an unanswered query goes to the next server after this. */
    static final Duration NGINX_RESEND = Duration.ofSeconds(5);

    /**
     * The files {@code resolver system} reads; injectable so tests use temporary ones.
     *
     * @param hosts      the hosts file
     * @param resolvConf the resolv.conf
     */
    record SystemFiles(Path hosts, Path resolvConf) {
        static final SystemFiles OS = new SystemFiles(Path.of("/etc/hosts"), Path.of("/etc/resolv.conf"));
    }

    private final ResolverEngine engine;
    private final ConcurrentHashMap<EventLoop, LoopResolver> perLoop = new ConcurrentHashMap<>();
    private volatile boolean closed;

    /**
     * @param spec the directive
     * @param udp  datagram channels for queries, matching the loops' transport (e.g.
     *             {@code EpollDatagramChannel::new} or {@code NioDatagramChannel::new})
     * @param tcp  socket channels for the TCP retry of truncated replies, or null to use truncated replies
     *             as they are
     */
    public Resolvers(ResolverSpec spec, ChannelFactory<? extends DatagramChannel> udp,
                     ChannelFactory<? extends SocketChannel> tcp) {
        this(spec, udp, tcp, SystemFiles.OS, NGINX_RESEND, System::nanoTime);
    }

    /** For tests: other system files, a shorter resend interval, a controllable cache clock. */
    Resolvers(ResolverSpec spec, ChannelFactory<? extends DatagramChannel> udp,
              ChannelFactory<? extends SocketChannel> tcp, SystemFiles files, Duration resend,
              LongSupplier nanoClock) {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(udp, "udp");
        this.engine = spec.system()
                ? new SystemEngine(spec, udp, tcp, files)
                : new NginxEngine(spec, udp, tcp, resend, nanoClock);
    }

    /**
     * The resolver of {@code loop}, created on first use and the same instance afterwards. Channels of the
     * loop's transport must match the channel factories given at construction.
     *
     * @throws IllegalStateException after {@link #close()}
     */
    public NameResolver forLoop(EventLoop loop) {
        Objects.requireNonNull(loop, "loop");
        if (closed) {
            throw new IllegalStateException("resolver is closed");
        }
        LoopResolver resolver = perLoop.computeIfAbsent(loop, engine::create);
        if (closed) {
            // close() ran while this one was being created and may have missed it.
            resolver.close();
            throw new IllegalStateException("resolver is closed");
        }
        return resolver;
    }

    /** Closes every loop's resolver. Idempotent. */
    @Override
    public void close() {
        closed = true;
        perLoop.values().forEach(LoopResolver::close);
    }
}
