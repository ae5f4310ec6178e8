package io.tunnelgate.auth;

import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The pool that verifies password hashes. bcrypt at cost 10 takes tens of milliseconds of CPU by
 * design; on an event loop it would stall every connection of that loop, so it runs here, on as
 * many threads as there are cores (the work is CPU-bound: more threads would not finish sooner).
 *
 * <p>The queue is bounded: a flood of logins with wrong passwords (nothing is cached for those)
 * must not queue work without end and delay every client behind it. When the queue is full, the
 * pool refuses the task and the request is answered 503 at once.
 */
public final class AuthPool {
    /**
     * Queued verifications per thread: at bcrypt cost 10 (about 80 ms of a core) the last one in
     * a full queue waits some two and a half seconds. Legitimate bursts rarely get here: a
     * client's parallel logins with the same credentials share one verification, and later ones
     * come from the cache.
     */
    static final int QUEUE_PER_THREAD = 32;

    private AuthPool() {
    }

    /** A new pool sized to the machine's cores; the caller shuts it down with the server. */
    public static ExecutorService create() {
        int threads = Runtime.getRuntime().availableProcessors();
        return create(threads, threads * QUEUE_PER_THREAD);
    }

    /** A pool of {@code threads} threads and a queue of {@code queue} tasks. */
    public static ExecutorService create(int threads, int queue) {
        return new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(queue),
                new DefaultThreadFactory("tunnelgate-auth", true), new ThreadPoolExecutor.AbortPolicy());
    }
}
