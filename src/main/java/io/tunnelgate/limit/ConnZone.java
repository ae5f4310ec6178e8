package io.tunnelgate.limit;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@code limit_conn_zone}: how many requests (for CONNECT: tunnels) each key has in progress,
 * shared by every event loop, bounded by the zone's size.
 *
 * <p>Each key's count changes atomically in a concurrent map; a key whose count drops to 0 is
 * removed at once (as nginx frees the node), so every entry is in use and a full zone has nothing
 * to evict: a new key is then refused, as nginx refuses when it cannot allocate a node.
 */
final class ConnZone {
    /** Bytes one state costs, as nginx documents for 64-bit platforms: 1m holds 16384 states. */
    static final int ENTRY_BYTES = 64;

    /** What {@link #acquire} did. */
    enum Outcome {
        /** The request holds one more slot of its key. */
        TAKEN,
        /** The key already has its limit of slots. */
        LIMITED,
        /** A new key, and no room for it. */
        FULL
    }

    private final String name;
    private final int capacity;
    private final ConcurrentHashMap<String, Integer> counts = new ConcurrentHashMap<>();
    private final AtomicInteger size = new AtomicInteger();

    ConnZone(String name, int capacity) {
        this.name = name;
        this.capacity = capacity;
    }

    /** A zone of {@code sizeBytes}. */
    static ConnZone of(String name, long sizeBytes) {
        return new ConnZone(name, (int) Math.min(Integer.MAX_VALUE, sizeBytes / ENTRY_BYTES));
    }

    String name() {
        return name;
    }

    /** Takes a slot of {@code key} if it holds fewer than {@code limit}. */
    Outcome acquire(String key, int limit) {
        Outcome[] outcome = new Outcome[1];
        counts.compute(key, (k, held) -> {
            if (held == null) {
                outcome[0] = reserve() ? Outcome.TAKEN : Outcome.FULL;
                return outcome[0] == Outcome.TAKEN ? 1 : null;
            }
            outcome[0] = held >= limit ? Outcome.LIMITED : Outcome.TAKEN;
            return outcome[0] == Outcome.TAKEN ? held + 1 : held;
        });
        return outcome[0];
    }

    /** Gives back a slot of {@code key}; the key goes when it has none left. */
    void release(String key) {
        counts.computeIfPresent(key, (k, held) -> {
            if (held > 1) {
                return held - 1;
            }
            size.decrementAndGet();
            return null;
        });
    }

    /** The slots {@code key} holds now. */
    int held(String key) {
        return counts.getOrDefault(key, 0);
    }

    /** How many keys the zone keeps now. */
    int size() {
        return size.get();
    }

    int capacity() {
        return capacity;
    }

    private boolean reserve() {
        while (true) {
            int n = size.get();
            if (n >= capacity) {
                return false;
            }
            if (size.compareAndSet(n, n + 1)) {
                return true;
            }
        }
    }
}
