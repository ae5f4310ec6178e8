package io.tunnelgate.resolve;

import io.netty.channel.EventLoop;
import io.netty.resolver.dns.DnsErrorCauseException;
import io.netty.resolver.dns.DnsNameResolver;
import io.netty.resolver.dns.DnsNameResolverTimeoutException;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.FutureListener;
import io.netty.util.concurrent.Promise;
import io.netty.util.concurrent.ScheduledFuture;

import java.net.InetAddress;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The {@code resolver system} resolver of one event loop: hosts file, then Netty's resolver (null when
 * resolv.conf names no nameserver), with {@code resolver_timeout} over the whole lookup.
 */
final class SystemLoopResolver extends LoopResolver {

    private final SystemEngine engine;
    private final DnsNameResolver dns;

    SystemLoopResolver(SystemEngine engine, EventLoop loop, DnsNameResolver dns) {
        super(loop);
        this.engine = engine;
        this.dns = dns;
    }

    @Override
    void lookup(String rawName, String name, Promise<List<InetAddress>> result) {
        List<InetAddress> listed = engine.hosts().lookup(name, engine.ipv4(), engine.ipv6());
        if (!listed.isEmpty()) {
            result.trySuccess(List.copyOf(listed));
            return;
        }
        if (dns == null) {
            result.tryFailure(new ResolveException(ResolveException.SERVER_FAILURE));
            return;
        }
        // The raw name keeps a trailing dot, which tells Netty not to apply the search list.
        Future<List<InetAddress>> lookup = dns.resolveAll(rawName.toLowerCase(Locale.ROOT));
        ScheduledFuture<?> deadline = loop.schedule(() -> {
            if (result.tryFailure(new ResolveException(ResolveException.TIMED_OUT))) {
                lookup.cancel(false);
            }
        }, engine.timeoutNanos(), TimeUnit.NANOSECONDS);
        lookup.addListener((FutureListener<List<InetAddress>>) done -> {
            deadline.cancel(false);
            if (done.isSuccess() && !done.getNow().isEmpty()) {
                result.trySuccess(List.copyOf(done.getNow()));
            } else if (!done.isCancelled()) {
                result.tryFailure(translate(done.cause()));
            }
        });
    }

    /** Netty's failure as nginx's code: its timeout and SERVFAIL/NXDOMAIN markers, else "Host not found". */
    static ResolveException translate(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof DnsNameResolverTimeoutException) {
                return new ResolveException(ResolveException.TIMED_OUT);
            }
            if (t instanceof DnsErrorCauseException error && error.getCode() != null) {
                return new ResolveException(error.getCode().intValue());
            }
        }
        return new ResolveException(ResolveException.HOST_NOT_FOUND);
    }

    @Override
    void close() {
        if (dns != null) {
            dns.close();
        }
    }
}
