package io.tunnelgate.testsupport;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One future per accepted connection, by accept order, so a test can ask for a connection's outcome before or
 * after the connection happens. {@link #next()} walks the connections in order.
 */
final class ConnectionResults<T> {

    private final ConcurrentMap<Integer, CompletableFuture<T>> byIndex = new ConcurrentHashMap<>();
    private final AtomicInteger handedOut = new AtomicInteger();

    /** The outcome of connection {@code index} (0 = first accepted); callers get a copy they cannot complete. */
    CompletableFuture<T> of(int index) {
        return future(index).copy();
    }

    /** The outcome of the first connection not yet handed out by this method. */
    CompletableFuture<T> next() {
        return of(handedOut.getAndIncrement());
    }

    void complete(int index, T value) {
        future(index).complete(value);
    }

    void fail(int index, Throwable cause) {
        future(index).completeExceptionally(cause);
    }

    private CompletableFuture<T> future(int index) {
        return byIndex.computeIfAbsent(index, i -> new CompletableFuture<>());
    }
}
