package io.tunnelgate.resolve;

import io.netty.util.concurrent.Future;

import java.net.InetAddress;
import java.util.List;

/**
 * Resolves a host name to the one address a connection should dial, or to all its addresses. Each instance belongs to one event
 * loop (see {@link Resolvers#forLoop}); its futures complete on that loop.
 */
public interface NameResolver {

    /**
     * Looks up {@code name} and picks one of its addresses at random (both families together, as nginx
     * does). The future fails with {@link ResolveException}; there is no fallback to another address.
     * May be called from any thread, though calling on the owning loop avoids a hop.
     */
    Future<InetAddress> resolve(String name);

    /**
     * Looks up {@code name} and gives every address of the answer (A records, then AAAA), for a
     * caller that chooses among them itself (the destination policy skips denied ones). Never
     * empty; fails as {@link #resolve} does.
     */
    Future<List<InetAddress>> resolveAll(String name);
}
