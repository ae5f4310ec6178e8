package io.tunnelgate.testsupport;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.dns.DatagramDnsQueryDecoder;
import io.netty.handler.codec.dns.DatagramDnsResponseEncoder;
import io.netty.handler.codec.dns.TcpDnsQueryDecoder;
import io.netty.handler.codec.dns.TcpDnsResponseEncoder;
import io.netty.util.NetUtil;

import java.net.InetSocketAddress;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

/**
 * A scriptable DNS server for tests, on 127.0.0.1 with one port for UDP and TCP.
 *
 * <p>Per name (case-insensitive, trailing dot optional) it serves A and AAAA records, a CNAME, a TTL, an
 * error RCODE, or misbehaves: {@link #drop} (never answers), {@link #hold} (answers once the test
 * releases it), {@link #truncate} (UDP replies are truncated and empty, TCP replies complete). A name
 * never configured gets NOERROR without records, like the module's test stub. Every query is counted
 * per (name, type) so tests can assert caching.
 *
 * <pre>{@code
 * try (StubDnsServer dns = StubDnsServer.start()) {
 *     dns.a("origin.test", "127.0.0.1").ttl("origin.test", 5);
 *     ... resolver 127.0.0.1:<dns.address().getPort()> ...
 *     assertThat(dns.queries("origin.test", "A")).isEqualTo(1);
 * }
 * }</pre>
 */
public final class StubDnsServer implements AutoCloseable {

    /** The TTL of records whose name has no {@link #ttl} set. */
    public static final int DEFAULT_TTL = 60;

    /** Error RCODEs the stub can answer with. */
    public enum Rcode {
        /** 1: format error. */
        FORMERR(1),
        /** 2: server failure. */
        SERVFAIL(2),
        /** 3: name error. */
        NXDOMAIN(3),
        /** 4: not implemented. */
        NOTIMP(4),
        /** 5: refused. */
        REFUSED(5);

        private final int code;

        Rcode(int code) {
            this.code = code;
        }

        /** The RCODE on the wire. */
        public int code() {
            return code;
        }
    }

    private final EventLoopGroup group;
    private final Channel udp;
    private final Channel tcp;
    private final ConcurrentHashMap<String, StubZone.Entry> zone;
    private final StubResponder responder;

    private StubDnsServer(EventLoopGroup group, Channel udp, Channel tcp,
                          ConcurrentHashMap<String, StubZone.Entry> zone, StubResponder responder) {
        this.group = group;
        this.udp = udp;
        this.tcp = tcp;
        this.zone = zone;
        this.responder = responder;
    }

    /** Starts a server on 127.0.0.1, on a free port shared by UDP and TCP. */
    public static StubDnsServer start() {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try {
            return bind(group);
        } catch (RuntimeException | Error e) {
            group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            throw e;
        }
    }

    private static StubDnsServer bind(EventLoopGroup group) {
        ConcurrentHashMap<String, StubZone.Entry> zone = new ConcurrentHashMap<>();
        StubResponder responder = new StubResponder(zone);
        for (int attempt = 0; ; attempt++) {
            Channel udp = new Bootstrap().group(group).channel(NioDatagramChannel.class)
                    .handler(new ChannelInitializer<NioDatagramChannel>() {
                        @Override
                        protected void initChannel(NioDatagramChannel ch) {
                            ch.pipeline().addLast(new DatagramDnsQueryDecoder(), new DatagramDnsResponseEncoder(),
                                    responder.udpHandler());
                        }
                    })
                    .bind(new InetSocketAddress(NetUtil.LOCALHOST4, 0)).syncUninterruptibly().channel();
            int port = ((InetSocketAddress) udp.localAddress()).getPort();
            // SO_REUSEADDR: the port chosen for UDP may be the local port of a TCP connection in TIME_WAIT.
            ChannelFuture tcp = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast(new TcpDnsQueryDecoder(), new TcpDnsResponseEncoder(),
                                    responder.tcpHandler());
                        }
                    })
                    .bind(new InetSocketAddress(NetUtil.LOCALHOST4, port)).awaitUninterruptibly();
            if (tcp.isSuccess()) {
                return new StubDnsServer(group, udp, tcp.channel(), zone, responder);
            }
            // The free UDP port may be taken for TCP (a BindException, which is checked and so
            // escapes a catch of RuntimeException): try another one. Right after a load test the
            // ephemeral ports are crowded with connections, so a few misses in a row happen.
            udp.close().syncUninterruptibly();
            if (attempt == 49) {
                throw new IllegalStateException("no port free for both UDP and TCP", tcp.cause());
            }
        }
    }

    /** The UDP (and TCP) address to use as the resolver's server. */
    public InetSocketAddress address() {
        return (InetSocketAddress) udp.localAddress();
    }

    /** Adds A records (IPv4 literals) for {@code name}. */
    public StubDnsServer a(String name, String... ipv4) {
        return update(name, e -> e.withA(StubZone.literals(ipv4, 4)));
    }

    /** Adds AAAA records (IPv6 literals) for {@code name}. */
    public StubDnsServer aaaa(String name, String... ipv6) {
        return update(name, e -> e.withAaaa(StubZone.literals(ipv6, 16)));
    }

    /**
     * Makes {@code name} a CNAME of {@code target}. Answers carry the CNAME followed by what the stub knows
     * of the target (its CNAME, A or AAAA records), as a recursive resolver's answers do.
     */
    public StubDnsServer cname(String name, String target) {
        return update(name, e -> e.withCname(StubZone.key(target), true));
    }

    /** Like {@link #cname}, but answers carry only the CNAME record, so the client must ask for the target. */
    public StubDnsServer cnameOnly(String name, String target) {
        return update(name, e -> e.withCname(StubZone.key(target), false));
    }

    /** The TTL of {@code name}'s records (default {@value #DEFAULT_TTL} s). */
    public StubDnsServer ttl(String name, int seconds) {
        return update(name, e -> e.withTtl(seconds));
    }

    /** Answers every query for {@code name} with {@code rcode} and no records. */
    public StubDnsServer rcode(String name, Rcode rcode) {
        return update(name, e -> e.withRcode(rcode.code()));
    }

    /** Never answers queries for {@code name} (they are still counted). */
    public StubDnsServer drop(String name) {
        return update(name, e -> e.withDrop(true));
    }

    /** UDP replies for {@code name} are empty with the TC bit set; TCP replies are complete. */
    public StubDnsServer truncate(String name) {
        return update(name, e -> e.withTruncate(true));
    }

    /**
     * Holds the answers to {@code name} until the returned future is completed (normally or not); queries
     * arriving after that are answered at once. The answer is built from the configuration at release.
     * To know that a held query has arrived, wait for {@link #queries(String, String)} to count it.
     */
    public CompletableFuture<Void> hold(String name) {
        CompletableFuture<Void> release = new CompletableFuture<>();
        update(name, e -> e.withHold(release));
        return release;
    }

    /** Forgets everything configured for {@code name} (counts are kept). */
    public StubDnsServer forget(String name) {
        zone.remove(StubZone.key(name));
        return this;
    }

    /** Queries received for {@code name} with {@code type} ("A", "AAAA", ...), over UDP and TCP. */
    public int queries(String name, String type) {
        return count(StubResponder.countKey(StubZone.key(name), type.toUpperCase(Locale.ROOT), false))
                + tcpQueries(name, type);
    }

    /** Queries received over TCP for {@code name} with {@code type}. */
    public int tcpQueries(String name, String type) {
        return count(StubResponder.countKey(StubZone.key(name), type.toUpperCase(Locale.ROOT), true));
    }

    /** Queries received for {@code name}, all types and transports. */
    public int queries(String name) {
        String prefix = StubZone.key(name) + "|";
        return responder.counts().entrySet().stream().filter(e -> e.getKey().startsWith(prefix))
                .mapToInt(e -> e.getValue().get()).sum();
    }

    /** Queries received in total. */
    public int totalQueries() {
        return responder.counts().values().stream().mapToInt(AtomicInteger::get).sum();
    }

    private int count(String key) {
        AtomicInteger n = responder.counts().get(key);
        return n == null ? 0 : n.get();
    }

    private StubDnsServer update(String name, UnaryOperator<StubZone.Entry> change) {
        zone.compute(StubZone.key(name), (k, old) -> change.apply(old == null ? StubZone.Entry.EMPTY : old));
        return this;
    }

    @Override
    public void close() {
        udp.close().syncUninterruptibly();
        tcp.close().syncUninterruptibly();
        group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS).syncUninterruptibly();
    }
}
