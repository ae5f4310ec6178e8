package io.tunnelgate.http;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A typed slot in every {@link Request} for one feature's per-request state (nginx's
 * {@code r->ctx[module.ctx_index]}), so that http does not need to know the types of the features
 * built on it (tunnel, forwarding ...).
 *
 * <p>Keys are created once, as static constants; each gets the next array index.
 *
 * @param <T> the state type
 */
public final class ModuleKey<T> {
    private static final AtomicInteger COUNT = new AtomicInteger();
    /** Upper bound on keys; a request allocates this many slots. */
    static final int MAX = 8;

    private final String name;
    private final int index;

    private ModuleKey(String name) {
        this.name = name;
        this.index = COUNT.getAndIncrement();
        if (index >= MAX) {
            throw new IllegalStateException("too many module keys; raise ModuleKey.MAX");
        }
    }

    /** Creates a key; call once per feature, in a static initialiser. */
    public static <T> ModuleKey<T> create(String name) {
        return new ModuleKey<>(name);
    }

    int index() {
        return index;
    }

    @Override
    public String toString() {
        return name;
    }
}
