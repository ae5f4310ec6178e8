package io.tunnelgate.http;

import java.util.concurrent.atomic.AtomicLong;

/**
 * nginx's worker_connections as one process-wide budget: client and upstream connections both
 * count (as in nginx, where each tunnel uses two). A connection that does not fit is refused.
 */
public final class ConnectionBudget {
    private final long limit;
    private final AtomicLong used = new AtomicLong();

    public ConnectionBudget(long limit) {
        this.limit = limit;
    }

    /** Takes one connection from the budget; false when it is spent. */
    public boolean tryAcquire() {
        if (used.incrementAndGet() > limit) {
            used.decrementAndGet();
            return false;
        }
        return true;
    }

    public void release() {
        used.decrementAndGet();
    }

    public long limit() {
        return limit;
    }

    public long used() {
        return used.get();
    }
}
