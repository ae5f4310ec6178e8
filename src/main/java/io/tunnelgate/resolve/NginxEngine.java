package io.tunnelgate.resolve;

import io.netty.channel.ChannelFactory;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.resolver.ResolvedAddressTypes;
import io.netty.resolver.dns.DnsNameResolverBuilder;
import io.netty.resolver.dns.SequentialDnsServerAddressStreamProvider;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * The shared half of a configured {@code resolver address ...}: servers and their rotation, the answer
 * cache, and the Netty resolver template. Netty's {@code DnsNameResolver} is used only as a query transport
 * (ids, UDP, TCP fallback on truncation); the lookup logic is nginx's, in {@link NginxLookup}.
 *
 * <p>Server choice follows nginx: each new lookup starts at the next server of a rotation shared by all
 * loops ({@code r->last_connection++}), and a query unanswered for the resend interval (nginx: 5 s) is
 * sent again to the following server, until {@code resolver_timeout}.
 */
final class NginxEngine implements ResolverEngine {

    /** nginx's NGX_RESOLVER_MAX_RECURSION: CNAMEs followed with further queries. */
    static final int MAX_CNAME_HOPS = 50;

    private final List<InetSocketAddress> servers;
    private final AtomicInteger rotation = new AtomicInteger();
    private final List<DnsRecordType> types;
    private final long timeoutNanos;
    private final long resendNanos;
    private final AnswerCache cache;
    private final DnsNameResolverBuilder template;

    NginxEngine(ResolverSpec spec, ChannelFactory<? extends DatagramChannel> udp,
                ChannelFactory<? extends SocketChannel> tcp, Duration resend, LongSupplier nanoClock) {
        this.servers = spec.servers();
        this.timeoutNanos = spec.timeout().toNanos();
        this.resendNanos = resend.toNanos();
        this.cache = new AnswerCache(spec.valid(), nanoClock);
        List<DnsRecordType> asked = new ArrayList<>(2);
        if (spec.ipv4()) {
            asked.add(DnsRecordType.A);
        }
        if (spec.ipv6()) {
            asked.add(DnsRecordType.AAAA);
        }
        this.types = List.copyOf(asked);
        // Built here, on the config thread: the first builder runs Netty's static set-up, which reads
        // /etc/resolv.conf and /etc/hosts and must not happen on an event loop.
        this.template = new DnsNameResolverBuilder()
                .datagramChannelFactory(udp)
                .socketChannelFactory(tcp)
                // NginxLookup owns all timing (resends and the deadline); Netty must not time queries out.
                .queryTimeoutMillis(0)
                // Every query names its server; this provider only keeps Netty away from the platform's.
                .nameServerProvider(new SequentialDnsServerAddressStreamProvider(servers))
                .hostsFileEntriesResolver((host, addressTypes) -> null)
                .resolvedAddressTypes(addressTypes(spec))
                .recursionDesired(true);
    }

    private static ResolvedAddressTypes addressTypes(ResolverSpec spec) {
        if (!spec.ipv6()) {
            return ResolvedAddressTypes.IPV4_ONLY;
        }
        return spec.ipv4() ? ResolvedAddressTypes.IPV4_PREFERRED : ResolvedAddressTypes.IPV6_ONLY;
    }

    @Override
    public LoopResolver create(EventLoop loop) {
        return new NginxLoopResolver(this, loop, template.copy().eventLoop(loop).build());
    }

    /** The record types each lookup asks for: A and/or AAAA. */
    List<DnsRecordType> types() {
        return types;
    }

    /** The rotation index a new lookup starts at. */
    int nextServer() {
        return rotation.getAndIncrement();
    }

    /** The server for a rotation index (any int; wraps around). */
    InetSocketAddress server(int index) {
        return servers.get(Math.floorMod(index, servers.size()));
    }

    long timeoutNanos() {
        return timeoutNanos;
    }

    long resendNanos() {
        return resendNanos;
    }

    AnswerCache cache() {
        return cache;
    }
}
