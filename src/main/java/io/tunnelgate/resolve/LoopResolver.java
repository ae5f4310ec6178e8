package io.tunnelgate.resolve;

/** A {@link NameResolver} bound to one event loop, closed together with its {@link Resolvers}. */
interface LoopResolver extends NameResolver {

    /** Releases the loop's DNS sockets; lookups still pending then end with a timeout. */
    void close();
}
