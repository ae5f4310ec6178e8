package io.tunnelgate.http;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.tunnelgate.log.LogClock;
import io.tunnelgate.resolve.ResolverPool;
import java.util.function.LongSupplier;

/**
 * The process-wide services a request may use, fixed at start: the channel type for upstream
 * connections (same transport as the listeners), the resolvers, the connection budget and the
 * clocks.
 *
 * @param nanoTime monotonic time for durations (injectable for tests)
 */
public record Services(ChannelFactory<? extends Channel> upstreamChannels, ResolverPool resolvers,
                       ConnectionBudget budget, LogClock clock, LongSupplier nanoTime) {
}
