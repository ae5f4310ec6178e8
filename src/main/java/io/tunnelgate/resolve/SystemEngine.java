package io.tunnelgate.resolve;

import io.netty.channel.ChannelFactory;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.resolver.ResolvedAddressTypes;
import io.netty.resolver.dns.DefaultAuthoritativeDnsServerCache;
import io.netty.resolver.dns.DefaultDnsCache;
import io.netty.resolver.dns.DefaultDnsCnameCache;
import io.netty.resolver.dns.DnsNameResolverBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;

/**
 * The shared half of {@code resolver system;}: behave like the OS resolver. The hosts file is consulted
 * first; then Netty's {@code DnsNameResolver} asks resolv.conf's nameservers with its search list and
 * ndots, caching by TTL in caches shared by all loops.
 *
 * <p>Netty quietly falls back to public Google DNS when it finds no nameserver. Tunnelgate never does:
 * without a nameserver, no resolver is built at all, names missing from the hosts file fail with
 * "Server failure", and one warning says why.
 */
final class SystemEngine implements ResolverEngine {

    private static final Logger LOG = LoggerFactory.getLogger(SystemEngine.class);

    private final HostsFile hosts;
    private final boolean ipv4;
    private final boolean ipv6;
    private final long timeoutNanos;
    /** Null when resolv.conf names no nameserver. */
    private final DnsNameResolverBuilder template;

    SystemEngine(ResolverSpec spec, ChannelFactory<? extends DatagramChannel> udp,
                 ChannelFactory<? extends SocketChannel> tcp, Resolvers.SystemFiles files) {
        this.hosts = HostsFile.load(files.hosts());
        this.ipv4 = spec.ipv4();
        this.ipv6 = spec.ipv6();
        this.timeoutNanos = spec.timeout().toNanos();
        ResolvConf conf = ResolvConf.load(files.resolvConf());
        if (conf.nameservers() == null) {
            LOG.warn("resolver system: {} names no nameserver, so names not in {} fail with "
                    + "\"Server failure\" (public DNS servers are never used as a fallback)",
                    files.resolvConf(), files.hosts());
            this.template = null;
            return;
        }
        long perQueryMillis = Math.min(TimeUnit.SECONDS.toMillis(conf.timeoutSeconds()),
                spec.timeout().toMillis());
        // Built on the config thread: Netty's static set-up reads files and must not run on a loop.
        this.template = new DnsNameResolverBuilder()
                .datagramChannelFactory(udp)
                .socketChannelFactory(tcp)
                .nameServerProvider(conf.nameservers())
                // The hosts file was consulted already, with all of a name's addresses.
                .hostsFileEntriesResolver((host, addressTypes) -> null)
                .searchDomains(conf.searchDomains())
                .ndots(conf.ndots())
                .queryTimeoutMillis(Math.max(1, perQueryMillis))
                .maxQueriesPerResolve(conf.attempts())
                .resolvedAddressTypes(addressTypes())
                // Shared by every loop's resolver, like Netty's DnsAddressResolverGroup does.
                .resolveCache(new DefaultDnsCache())
                .cnameCache(new DefaultDnsCnameCache())
                .authoritativeDnsServerCache(new DefaultAuthoritativeDnsServerCache());
    }

    private ResolvedAddressTypes addressTypes() {
        if (!ipv6) {
            return ResolvedAddressTypes.IPV4_ONLY;
        }
        return ipv4 ? ResolvedAddressTypes.IPV4_PREFERRED : ResolvedAddressTypes.IPV6_ONLY;
    }

    @Override
    public LoopResolver create(EventLoop loop) {
        return new SystemLoopResolver(this, loop, template == null ? null : template.copy().eventLoop(loop).build());
    }

    HostsFile hosts() {
        return hosts;
    }

    boolean ipv4() {
        return ipv4;
    }

    boolean ipv6() {
        return ipv6;
    }

    long timeoutNanos() {
        return timeoutNanos;
    }
}
