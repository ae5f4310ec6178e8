package io.tunnelgate.forward;

import io.netty.util.concurrent.FastThreadLocal;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Idle keep-alive upstream connections of one event loop, by destination address. A request
 * runs on its client's loop and takes connections from that loop's pool only, so nothing here is
 * shared between threads. Bounded per destination and in all; the most recently used connection
 * is reused first (the one least likely to have been closed by its origin), and each leaves after
 * its idle timeout.
 */
final class UpstreamPool {
    /** Most idle connections one loop keeps, whatever their destinations. */
    static final int MAX_TOTAL = 1024;
    private static final FastThreadLocal<UpstreamPool> POOLS = new FastThreadLocal<>() {
        @Override
        protected UpstreamPool initialValue() {
            return new UpstreamPool();
        }
    };

    private final Map<InetSocketAddress, ArrayDeque<UpstreamConn>> idle = new HashMap<>();
    private int total;

    /** The pool of the calling event loop. */
    static UpstreamPool current() {
        return POOLS.get();
    }

    /** An open idle connection to {@code peer}, taken out of the pool, or null. */
    UpstreamConn take(InetSocketAddress peer) {
        ArrayDeque<UpstreamConn> conns = idle.get(peer);
        while (conns != null && !conns.isEmpty()) {
            UpstreamConn c = conns.pollLast();
            total--;
            c.idleTimer.cancel(false);
            c.idleTimer = null;
            if (c.channel.isActive()) {
                return c;
            }
        }
        return null;
    }

    /**
     * Keeps a connection whose response ended cleanly, or closes it when the pool for its
     * destination or the loop is full.
     */
    void offer(UpstreamConn c, int maxIdle, long idleMillis) {
        ArrayDeque<UpstreamConn> conns = idle.computeIfAbsent(c.peer, k -> new ArrayDeque<>(4));
        if (conns.size() >= maxIdle || total >= MAX_TOTAL) {
            c.channel.close();
            return;
        }
        conns.addLast(c);
        total++;
        c.owner(null);
        c.idleTimer = c.channel.eventLoop().schedule(() -> c.channel.close(), idleMillis, TimeUnit.MILLISECONDS);
        c.channel.config().setAutoRead(true);
    }

    /**
     * Closes the connection that has been idle longest, to free its place in the connection
     * budget for a new one; false when there is none.
     */
    boolean evictOne() {
        for (ArrayDeque<UpstreamConn> conns : idle.values()) {
            UpstreamConn c = conns.peekFirst();
            if (c != null) {
                c.channel.close();
                return true;
            }
        }
        return false;
    }

    /**
     * A connection closed (its close listener calls this): if it was idle here, forget it. A
     * connection in use is not in the pool and is left alone.
     */
    void remove(UpstreamConn c) {
        if (c.idleTimer == null) {
            return;
        }
        c.idleTimer.cancel(false);
        c.idleTimer = null;
        ArrayDeque<UpstreamConn> conns = idle.get(c.peer);
        if (conns != null && conns.remove(c)) {
            total--;
            if (conns.isEmpty()) {
                idle.remove(c.peer);
            }
        }
    }
}
