package io.tunnelgate.log;

import java.util.concurrent.Executor;

/**
 * One element of the {@link LineQueue}: a line for a target with its optional callback, or a
 * writer-thread task (when {@link #target} is null). The queue links elements through
 * {@link #next}, so queueing a line allocates this object and nothing else.
 */
final class QueuedLine {

    final FileTarget target;
    final byte[] line;
    final Executor executor;
    final Runnable task;
    /** Written by the producer before publication, or by the writer thread only; no race. */
    QueuedLine next;

    QueuedLine(FileTarget target, byte[] line, Executor executor, Runnable task) {
        this.target = target;
        this.line = line;
        this.executor = executor;
        this.task = task;
    }

    /** A task the writer thread runs itself, after writing every line queued before it. */
    static QueuedLine writerTask(Runnable task) {
        return new QueuedLine(null, null, null, task);
    }

    boolean isWriterTask() {
        return target == null;
    }
}
