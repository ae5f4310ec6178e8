package io.tunnelgate.log;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * The multi-producer, single-consumer hand-over between event loops and the writer thread: an
 * intrusive lock-free stack. A producer pushes with one CAS (no lock, no allocation besides the
 * {@link QueuedLine}); the writer takes the whole stack with one atomic swap and reverses it, so
 * lines come out in the order they were pushed. A producer wakes the writer only when it pushes
 * onto an empty stack while the writer is parked, so under load nobody pays for a wake-up.
 *
 * <p>Wake-up protocol (Dekker-style, all on volatiles): the writer sets {@code sleeping}, then
 * re-reads {@code head} before parking; a producer CASes {@code head}, then reads
 * {@code sleeping}. At least one of them sees the other's write, so no line is left waiting.
 */
final class LineQueue {

    /** Sentinel: once {@code head} holds it, the queue is closed and every push is refused. */
    private static final QueuedLine CLOSED = QueuedLine.writerTask(() -> { });
    private static final VarHandle HEAD;

    static {
        try {
            HEAD = MethodHandles.lookup().findVarHandle(LineQueue.class, "head", QueuedLine.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @SuppressWarnings("unused") // accessed through HEAD
    private volatile QueuedLine head;
    private volatile boolean sleeping;
    /**
     * The writer waits a moment after a batch for more lines ({@link #linger}); only a prompt push
     * wakes it then. A prompt push that misses the flag being set waits out the moment at most.
     */
    private volatile boolean lingering;
    private volatile Thread consumer;

    /** Names the thread that {@link #await}s, so producers can unpark it. */
    void consumer(Thread thread) {
        consumer = thread;
    }

    /**
     * Pushes {@code line}; false when the queue is closed (the line was not taken). A {@code prompt}
     * line also ends the writer's {@link #linger}; any line wakes a writer parked on an empty queue.
     */
    boolean push(QueuedLine line, boolean prompt) {
        QueuedLine prev;
        do {
            prev = head;
            if (prev == CLOSED) {
                return false;
            }
            line.next = prev;
        } while (!HEAD.compareAndSet(this, prev, line));
        if (prev == null && sleeping || prompt && lingering) {
            wake();
        }
        return true;
    }

    /** Everything queued, oldest first, or null when empty. */
    QueuedLine takeAll() {
        return reverse((QueuedLine) HEAD.getAndSet(this, (QueuedLine) null));
    }

    /** Everything queued, oldest first (or null); every later {@link #push} is refused. */
    QueuedLine takeAllAndClose() {
        QueuedLine taken = (QueuedLine) HEAD.getAndSet(this, CLOSED);
        return taken == CLOSED ? null : reverse(taken);
    }

    /**
     * Parks the consumer until a push onto the empty queue, a {@link #wake()}, or {@code nanos}
     * (0: no limit). Returns at once if something is queued or {@code stop} is already true.
     */
    void await(long nanos, BooleanSupplier stop) {
        sleeping = true;
        try {
            if (head == null && !stop.getAsBoolean()) {
                if (nanos > 0) {
                    LockSupport.parkNanos(this, nanos);
                } else {
                    LockSupport.park(this);
                }
            }
        } finally {
            sleeping = false;
        }
    }

    /**
     * Parks the consumer for {@code nanos} after a batch, so that lines nobody waits for collect
     * into the next one; a prompt push or {@link #wake()} ends it early.
     */
    void linger(long nanos, BooleanSupplier stop) {
        lingering = true;
        try {
            if (!stop.getAsBoolean()) {
                LockSupport.parkNanos(this, nanos);
            }
        } finally {
            lingering = false;
        }
    }

    /** Unparks the consumer if it is parked (cheap when it is not). */
    void wakeIfSleeping() {
        if (sleeping) {
            wake();
        }
    }

    /** Unparks the consumer unconditionally (used by close). */
    void wake() {
        Thread t = consumer;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    private static QueuedLine reverse(QueuedLine top) {
        QueuedLine reversed = null;
        while (top != null) {
            QueuedLine next = top.next;
            top.next = reversed;
            reversed = top;
            top = next;
        }
        return reversed;
    }
}
