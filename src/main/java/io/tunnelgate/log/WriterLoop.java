package io.tunnelgate.log;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The body of the {@link LogWriter}'s thread: take everything queued, stage it per file, write,
 * then run the callbacks; park when idle. Apart from {@link #requestStop()} every method runs on
 * the writer thread (or on the closing thread once the writer is known not to run), so its
 * fields need no synchronisation.
 */
final class WriterLoop implements Runnable {

    /** Callbacks wait at most for this many bytes to be written before them. */
    private static final int CHUNK_BYTES = 256 * 1024;
    private static final long WARN_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final long LINGER_NANOS = TimeUnit.MILLISECONDS.toNanos(LogWriter.LINGER_MILLIS);

    private final LineQueue queue;
    private final AtomicLong queuedBytes;
    private final AtomicLong dropped;
    private final Collection<FileTarget> targets;
    private final long maxQueuedBytes;
    private final Consumer<String> warnings;
    private final LongSupplier nanoTime;
    private final List<FileTarget> dirty = new ArrayList<>();
    private volatile boolean stopping;
    private volatile long writeCalls;
    private long reportedDrops;
    private long lastDropWarnNanos;
    private boolean dropWarned;

    WriterLoop(LineQueue queue, AtomicLong queuedBytes, AtomicLong dropped, Collection<FileTarget> targets,
            long maxQueuedBytes, Consumer<String> warnings, LongSupplier nanoTime) {
        this.queue = queue;
        this.queuedBytes = queuedBytes;
        this.dropped = dropped;
        this.targets = targets;
        this.maxQueuedBytes = maxQueuedBytes;
        this.warnings = warnings;
        this.nanoTime = nanoTime;
    }

    @Override
    public void run() {
        while (!stopping) {
            try {
                QueuedLine batch = queue.takeAll();
                if (batch != null) {
                    process(batch);
                }
                reportDrops(false);
                if (batch == null) {
                    queue.await(dropWarningDelay(), () -> stopping);
                } else {
                    // under load, one wake-up per batch instead of one per line (measured: 30 µs of
                    // writer CPU per line at 29,000 lines/s when it woke for nearly every one)
                    queue.linger(LINGER_NANOS, () -> stopping);
                }
            } catch (Throwable t) {
                // Keep going: a dead writer would drop every later line.
                warn("log writer: unexpected " + t);
            }
        }
        finish();
    }

    /** Any thread: asks the loop to write what is queued, close the files and end. */
    void requestStop() {
        stopping = true;
        queue.wake();
    }

    /** Writes what is left, refuses later lines and closes the files. */
    void finish() {
        QueuedLine rest = queue.takeAllAndClose();
        if (rest != null) {
            process(rest);
        }
        reportDrops(true);
        for (FileTarget t : targets) {
            t.close(this);
        }
    }

    /** Number of write(2) calls made so far (to check that lines are batched). */
    long writeCalls() {
        return writeCalls;
    }

    /** Counts one write(2). Only the writer thread writes, so a plain increment is safe. */
    void countWrite() {
        writeCalls++;
    }

    /** Reports a failed write, at most once a second per target. */
    void writeFailed(FileTarget target, IOException e) {
        String warning = target.failureWarning(e, nanoTime.getAsLong(), WARN_INTERVAL_NANOS);
        if (warning != null) {
            warn(warning);
        }
    }

    /** Re-opens every file (after the lines before it were written); see {@link LogWriter#reopenAsync()}. */
    void reopenAll(CompletableFuture<Void> done) {
        IOException failure = null;
        for (FileTarget t : targets) {
            try {
                t.reopen(this);
            } catch (IOException e) {
                warn(e.getMessage());
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure == null) {
            done.complete(null);
        } else {
            done.completeExceptionally(failure);
        }
    }

    void warn(String message) {
        try {
            warnings.accept(message);
        } catch (RuntimeException ignored) {
            // A broken warning sink must not stop the writer; there is nowhere else to report it.
        }
    }

    /** Runs a callback the way the writer does; also used for lines dropped before queueing. */
    static void runCallback(Executor executor, Runnable callback) {
        try {
            executor.execute(callback);
        } catch (RejectedExecutionException shutDown) {
            // The event loop is gone, and with it the connection the callback would have closed.
        }
    }

    /**
     * Writes a batch, oldest first. Callbacks run after their line's bytes were written, in
     * order; a long batch is cut into chunks so the first callbacks need not wait for all of it.
     */
    private void process(QueuedLine first) {
        QueuedLine chunkStart = first;
        long chunkBytes = 0;
        try {
            for (QueuedLine e = first; e != null; e = e.next) {
                if (e.isWriterTask()) {
                    flushAll();
                    complete(chunkStart, e);
                    chunkStart = e.next;
                    chunkBytes = 0;
                    runTask(e.task);
                    continue;
                }
                e.target.stage(e.line, this);
                if (!e.target.listed) {
                    e.target.listed = true;
                    dirty.add(e.target);
                }
                chunkBytes += e.line.length;
                if (chunkBytes >= CHUNK_BYTES) {
                    flushAll();
                    complete(chunkStart, e.next);
                    chunkStart = e.next;
                    chunkBytes = 0;
                }
            }
            flushAll();
        } finally {
            // Normally right after flushAll(); after an unexpected error too, so nobody waits forever.
            complete(chunkStart, null);
        }
    }

    private void flushAll() {
        for (int i = 0; i < dirty.size(); i++) {
            FileTarget t = dirty.get(i);
            t.listed = false;
            t.flush(this);
        }
        dirty.clear();
    }

    /**
     * Releases the bytes of lines {@code [from, to)} from the bound, then runs their callbacks:
     * in that order, so a callback that queues the next line finds the space free.
     */
    private void complete(QueuedLine from, QueuedLine to) {
        long bytes = 0;
        for (QueuedLine e = from; e != to; e = e.next) {
            if (!e.isWriterTask()) {
                bytes += e.line.length;
            }
        }
        queuedBytes.addAndGet(-bytes);
        for (QueuedLine e = from; e != to; e = e.next) {
            if (!e.isWriterTask() && e.task != null) {
                try {
                    runCallback(e.executor, e.task);
                } catch (RuntimeException failed) {
                    warn("log writer: callback failed: " + failed);
                }
            }
        }
    }

    private void runTask(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            warn("log writer: task failed: " + e);
        }
    }

    private void reportDrops(boolean force) {
        long total = dropped.get();
        if (total == reportedDrops) {
            return;
        }
        long now = nanoTime.getAsLong();
        if (!force && dropWarned && now - lastDropWarnNanos < WARN_INTERVAL_NANOS) {
            return;
        }
        warn("log queue full (" + maxQueuedBytes + " bytes): " + (total - reportedDrops) + " line(s) dropped");
        reportedDrops = total;
        lastDropWarnNanos = now;
        dropWarned = true;
    }

    /** How long the writer may park: until the next drop warning is due, or no limit (0). */
    private long dropWarningDelay() {
        if (dropped.get() == reportedDrops) {
            return 0;
        }
        long elapsed = nanoTime.getAsLong() - lastDropWarnNanos;
        return Math.max(1, WARN_INTERVAL_NANOS - elapsed);
    }
}
