package io.tunnelgate.resolve;

import io.netty.channel.EventLoop;

/** Builds the per-loop resolvers of one {@link ResolverSpec} and holds what they share (cache, rotation). */
interface ResolverEngine {

    /** A new resolver for {@code loop}; may be called on any thread, never blocks. */
    LoopResolver create(EventLoop loop);
}
