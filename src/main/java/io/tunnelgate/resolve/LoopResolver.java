package io.tunnelgate.resolve;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.net.InetAddress;
import java.util.List;

/**
 * A {@link NameResolver} bound to one event loop, closed together with its {@link Resolvers}.
 * Lookups run on the loop whatever thread asks; literals and names that cannot be asked for are
 * answered here, the rest by the subclass's way of resolving.
 */
abstract class LoopResolver implements NameResolver {
    protected final EventLoop loop;

    LoopResolver(EventLoop loop) {
        this.loop = loop;
    }

    @Override
    public final Future<InetAddress> resolve(String name) {
        Promise<InetAddress> one = loop.newPromise();
        resolveAll(name).addListener((Future<List<InetAddress>> all) -> {
            if (all.isSuccess()) {
                one.trySuccess(Answer.pickOne(all.getNow()));
            } else {
                one.tryFailure(all.cause());
            }
        });
        return one;
    }

    @Override
    public final Future<List<InetAddress>> resolveAll(String name) {
        Promise<List<InetAddress>> result = loop.newPromise();
        if (loop.inEventLoop()) {
            resolveOnLoop(name, result);
        } else {
            loop.execute(() -> resolveOnLoop(name, result));
        }
        return result;
    }

    private void resolveOnLoop(String rawName, Promise<List<InetAddress>> result) {
        InetAddress literal = Names.literal(rawName);
        if (literal != null) {
            result.trySuccess(List.of(literal));
            return;
        }
        String name = Names.normalize(rawName);
        if (!Names.isQueryable(name)) {
            result.tryFailure(new ResolveException(ResolveException.HOST_NOT_FOUND));
            return;
        }
        lookup(rawName, name, result);
    }

    /**
     * Resolves a name that is not a literal, on the loop.
     *
     * @param rawName the name as asked (a trailing dot still there)
     * @param name the normalised name
     */
    abstract void lookup(String rawName, String name, Promise<List<InetAddress>> result);

    /** Releases the loop's DNS sockets; lookups still pending then end with a timeout. */
    abstract void close();
}
