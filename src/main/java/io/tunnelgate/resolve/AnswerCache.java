package io.tunnelgate.resolve;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * Positive answers of one configured resolver, shared by the resolvers of all event loops. An entry lives
 * for {@code valid=} when set, else for the answer's smallest TTL; errors are never stored (nginx frees
 * the node of a failed lookup). Thread-safe; expired entries are dropped when read and, so that names
 * looked up once do not pile up, by a sweep every {@value #SWEEP_EVERY} insertions.
 */
final class AnswerCache {

    private static final int SWEEP_EVERY = 256;

    /** Cached addresses and when they expire, on {@code nanoClock}'s scale. */
    private record Entry(List<InetAddress> addresses, long expiresAtNanos) {
    }

    private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();
    private final AtomicInteger insertsSinceSweep = new AtomicInteger();
    private final Duration valid;
    private final LongSupplier nanoClock;

    /**
     * @param valid     {@code valid=}, or null to use the TTL
     * @param nanoClock a {@link System#nanoTime()}-like clock, injectable so tests can expire entries
     */
    AnswerCache(Duration valid, LongSupplier nanoClock) {
        this.valid = valid;
        this.nanoClock = nanoClock;
    }

    /** The cached addresses of {@code name} (already normalised), or null when absent or expired. */
    List<InetAddress> get(String name) {
        Entry entry = entries.get(name);
        if (entry == null) {
            return null;
        }
        if (nanoClock.getAsLong() - entry.expiresAtNanos() >= 0) {
            entries.remove(name, entry);
            return null;
        }
        return entry.addresses();
    }

    /** Stores a successful answer; a zero lifetime stores nothing. */
    void put(String name, Answer answer) {
        long lifetimeNanos = valid != null ? valid.toNanos()
                : TimeUnit.SECONDS.toNanos(Math.min(answer.ttlSeconds(), Integer.MAX_VALUE));
        if (lifetimeNanos <= 0) {
            return;
        }
        long now = nanoClock.getAsLong();
        entries.put(name, new Entry(answer.addresses(), now + lifetimeNanos));
        if (insertsSinceSweep.incrementAndGet() >= SWEEP_EVERY) {
            insertsSinceSweep.set(0);
            entries.values().removeIf(e -> now - e.expiresAtNanos() >= 0);
        }
    }

    /** Number of entries, expired ones included until they are dropped; for tests. */
    int size() {
        return entries.size();
    }
}
