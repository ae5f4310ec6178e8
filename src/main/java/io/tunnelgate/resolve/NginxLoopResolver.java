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
final class NginxLoopResolver implements LoopResolver {

    private final NginxEngine engine;
    private final EventLoop loop;
    private final DnsNameResolver dns;
    private final Map<String, Promise<Answer>> inflight = new HashMap<>();

    NginxLoopResolver(NginxEngine engine, EventLoop loop, DnsNameResolver dns) {
        this.engine = engine;
        this.loop = loop;
        this.dns = dns;
    }

    @Override
    public Future<InetAddress> resolve(String name) {
        Promise<InetAddress> result = loop.newPromise();
        if (loop.inEventLoop()) {
            resolveOnLoop(name, result);
        } else {
            loop.execute(() -> resolveOnLoop(name, result));
        }
        return result;
    }

    private void resolveOnLoop(String rawName, Promise<InetAddress> result) {
        InetAddress literal = Names.literal(rawName);
        if (literal != null) {
            result.trySuccess(literal);
            return;
        }
        String name = Names.normalize(rawName);
        if (!Names.isQueryable(name)) {
            result.tryFailure(new ResolveException(ResolveException.HOST_NOT_FOUND));
            return;
        }
        List<InetAddress> cached = engine.cache().get(name);
        if (cached != null) {
            result.trySuccess(Answer.pickOne(cached));
            return;
        }
        lookup(name).addListener((FutureListener<Answer>) done -> {
            if (done.isSuccess()) {
                result.trySuccess(done.getNow().pickOne());
            } else {
                result.tryFailure(done.cause());
            }
        });
    }

    /** The running lookup of {@code name}, started if there is none; its answer is cached once. */
    private Future<Answer> lookup(String name) {
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
    public void close() {
        dns.close();
    }
}
