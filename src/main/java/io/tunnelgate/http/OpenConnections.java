package io.tunnelgate.http;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Future;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Every accepted connection, so that shutdown can close them all. Kept in one set per event loop,
 * touched only by that loop: Netty's {@code DefaultChannelGroup} is one {@code ConcurrentHashMap}
 * that every loop writes to twice per connection, and nothing per connection should be shared
 * between loops.
 */
public final class OpenConnections {
    /** Written once per loop (its first connection); read lock-free after that. */
    private final ConcurrentHashMap<EventLoop, LoopSet> byLoop = new ConcurrentHashMap<>();

    /** On {@code ch}'s event loop: tracks {@code ch} until it closes. */
    void add(Channel ch) {
        EventLoop loop = ch.eventLoop();
        LoopSet set = byLoop.get(loop);
        if (set == null) {
            set = byLoop.computeIfAbsent(loop, l -> new LoopSet());
        }
        set.add(ch);
        ch.closeFuture().addListener(set);
    }

    /**
     * Closes every tracked connection, each on its own loop, and waits until they have closed or
     * {@code timeout} has passed. Loops already shut down have closed theirs.
     */
    public void closeAll(long timeout, TimeUnit unit) {
        List<Future<List<ChannelFuture>>> closing = new ArrayList<>();
        byLoop.forEach((loop, set) -> {
            try {
                closing.add(loop.submit(set::closeAll));
            } catch (RejectedExecutionException e) {
                // the loop is gone, and its channels with it
            }
        });
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        for (Future<List<ChannelFuture>> f : closing) {
            if (!f.awaitUninterruptibly(remaining(deadline)) || !f.isSuccess()) {
                continue;
            }
            for (ChannelFuture closed : f.getNow()) {
                closed.awaitUninterruptibly(remaining(deadline));
            }
        }
    }

    private static long remaining(long deadline) {
        return TimeUnit.NANOSECONDS.toMillis(Math.max(0, deadline - System.nanoTime()));
    }

    /** One loop's open connections; also the listener that forgets each when it closes (no object per connection). */
    private static final class LoopSet extends HashSet<Channel> implements ChannelFutureListener {
        @Override
        public void operationComplete(ChannelFuture f) {
            remove(f.channel());
        }

        List<ChannelFuture> closeAll() {
            List<ChannelFuture> closed = new ArrayList<>(size());
            // a copy: each close runs the listener above, which removes from this set
            for (Channel ch : List.copyOf(this)) {
                closed.add(ch.close());
            }
            return closed;
        }
    }
}
