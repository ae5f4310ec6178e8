package io.tunnelgate.forward;

import java.net.InetSocketAddress;
import java.util.List;

/**
 * The upstream addresses one request may try, in order: the next is used when an attempt fails
 * and {@code proxy_next_upstream} allows it. Built per request, used on its event loop.
 */
interface Route {
    /** The next address to try, or null when every one has been tried or none is usable. */
    InetSocketAddress next(long nowNanos);

    /** The address {@link #next} gave last failed (it counts against the peer's max_fails). */
    default void failed(long nowNanos) {
    }

    /** The address {@link #next} gave last answered. */
    default void succeeded() {
    }

    /** How connections to these addresses are kept for reuse. */
    default PoolLimits pool() {
        return PoolLimits.DEFAULT;
    }

    /** The addresses of a resolved name, each tried once in order. */
    static Route of(List<InetSocketAddress> addresses) {
        return new Route() {
            private int i;

            @Override
            public InetSocketAddress next(long nowNanos) {
                return i < addresses.size() ? addresses.get(i++) : null;
            }
        };
    }
}
