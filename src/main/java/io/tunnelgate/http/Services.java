package io.tunnelgate.http;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.tunnelgate.log.LogClock;
import io.tunnelgate.resolve.ResolverPool;
import java.util.concurrent.Executor;
import java.util.function.LongSupplier;

/**
 * The process-wide services a request may use, fixed at start: the channel type for upstream
 * connections (same transport as the listeners), the resolvers, the connection budget, the clocks,
 * and the pool where file-system work runs so that it never blocks an event loop.
 *
 * @param nanoTime monotonic time for durations (injectable for tests)
 * @param blocking runs file-system calls (stat, open) off the event loops
 */
public record Services(ChannelFactory<? extends Channel> upstreamChannels, ResolverPool resolvers,
                       ConnectionBudget budget, LogClock clock, LongSupplier nanoTime, Executor blocking) {
}
