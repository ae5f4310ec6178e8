package io.tunnelgate.resolve;

import io.netty.util.concurrent.Future;

import java.net.InetAddress;

/**
 * Resolves a host name to the one address a connection should dial. Each instance belongs to one event
 * loop (see {@link Resolvers#forLoop}); its futures complete on that loop.
 */
public interface NameResolver {

    /**
     * Looks up {@code name} and picks one of its addresses at random (both families together, as nginx
     * does). The future fails with {@link ResolveException}; there is no fallback to another address.
     * May be called from any thread, though calling on the owning loop avoids a hop.
     */
    Future<InetAddress> resolve(String name);
}
