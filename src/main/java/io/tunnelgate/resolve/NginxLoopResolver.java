package io.tunnelgate.resolve;

import io.netty.channel.EventLoop;
import io.netty.resolver.dns.DnsNameResolver;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.FutureListener;
import io.netty.util.concurrent.Promise;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The nginx-style resolver of one event loop: answers from the shared cache, else starts (or joins) an
 * {@link NginxLookup}. Concurrent lookups of one name on this loop share one set of queries, as nginx's
 * waiting list does. All state is confined to the loop.
 */
final class NginxLoopResolver extends LoopResolver {

    private final NginxEngine engine;
    private final DnsNameResolver dns;
    private final Map<String, Promise<Answer>> inflight = new HashMap<>();

    NginxLoopResolver(NginxEngine engine, EventLoop loop, DnsNameResolver dns) {
        super(loop);
        this.engine = engine;
        this.dns = dns;
    }

    @Override
    void lookup(String rawName, String name, Promise<List<InetAddress>> result) {
        List<InetAddress> cached = engine.cache().get(name);
        if (cached != null) {
            result.trySuccess(List.copyOf(cached));
            return;
        }
        sharedLookup(name).addListener((FutureListener<Answer>) done -> {
            if (done.isSuccess()) {
                result.trySuccess(done.getNow().addresses());
            } else {
                result.tryFailure(done.cause());
            }
        });
    }

    /** The running lookup of {@code name}, started if there is none; its answer is cached once. */
    private Future<Answer> sharedLookup(String name) {
        Promise<Answer> running = inflight.get(name);
        if (running != null) {
            return running;
        }
        Promise<Answer> started = loop.newPromise();
        inflight.put(name, started);
        started.addListener((FutureListener<Answer>) done -> {
            inflight.remove(name, started);
            if (done.isSuccess()) {
                engine.cache().put(name, done.getNow());
            }
        });
        new NginxLookup(engine, dns, loop, started).start(name);
        return started;
    }

    @Override
    void close() {
        dns.close();
    }
}
