package io.tunnelgate.log;

import java.util.concurrent.Executor;

/**
 * One open log destination (a file, or the process's stderr/stdout) of a {@link LogWriter}.
 * Appending never blocks and never fails: the line is queued for the writer thread, or dropped
 * (and counted) when the queue is full or the writer is closed.
 *
 * <p>A line is handed over, not copied: the caller must not change the array afterwards. A line
 * should end with {@code '\n'}; the writer adds nothing.
 */
public interface LogTarget {

    /** Queues {@code line} for writing. */
    void append(byte[] line);

    /**
     * Queues a line nobody waits for (an access-log line of a connection that stays open): the
     * writer may let it collect with others for up to {@link LogWriter#LINGER_MILLIS} ms before
     * writing, so that a busy proxy wakes the writer once per batch instead of once per line.
     */
    void appendSoon(byte[] line);

    /**
     * Queues {@code line}; once it has been written (write(2) returned), or once it has been
     * dropped, the writer calls {@code executor.execute(whenWritten)}. The proxy passes its event
     * loop and closes the client socket in {@code whenWritten}, so the line is in the file before
     * the client sees EOF. Callbacks run in the order their lines were queued.
     */
    void append(byte[] line, Executor executor, Runnable whenWritten);

    /** The path as configured (e.g. {@code logs/access.log} or {@code stderr}), for messages. */
    String name();
}
