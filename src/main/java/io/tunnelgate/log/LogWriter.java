package io.tunnelgate.log;

import java.io.FileDescriptor;
import java.io.IOException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Owns every open log file and the one daemon thread ({@value #THREAD_NAME}) that writes to them,
 * so no event loop ever blocks on file I/O. Event loops queue lines through a {@link LogTarget};
 * the writer takes everything queued at once, copies it into per-file staging buffers, writes
 * each file with as few write(2) calls as possible, and only then hands each line's callback to
 * the executor it came with. The proxy closes a client socket in such a callback, which is how
 * an access-log line is in the file before the client sees EOF.
 *
 * <p>Queued bytes are bounded: past the limit a line is dropped and counted, its callback still
 * runs, and the writer warns at most once a second. Nobody ever waits on this class except
 * {@link #close()}, whose wait is bounded.
 */
public final class LogWriter implements AutoCloseable {

    /** The name of the writer thread. */
    public static final String THREAD_NAME = "tunnelgate-log-writer";
    /**
     * How long the writer, having written a batch, lets lines nobody waits for collect before it
     * looks again ({@link LogTarget#appendSoon}); any other line ends the wait at once.
     */
    public static final long LINGER_MILLIS = 2;
    /** Default bound on bytes queued and not yet written: 16 MiB. */
    public static final long DEFAULT_MAX_QUEUED_BYTES = 16L << 20;

    private static final int STAGING_BYTES = 64 * 1024;
    private static final long CLOSE_WAIT_MILLIS = 5_000;

    private final long maxQueuedBytes;
    private final LineQueue queue = new LineQueue();
    private final AtomicLong queuedBytes = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final Map<String, FileTarget> targets = new ConcurrentHashMap<>();
    private final WriterLoop loop;
    private final Thread thread;
    private final Object lifecycle = new Object();
    private boolean started;
    private boolean closed;

    /** A writer with the default queue bound, warning on {@code System.err}. */
    public LogWriter() {
        this(DEFAULT_MAX_QUEUED_BYTES);
    }

    /** A writer holding at most {@code maxQueuedBytes} unwritten bytes, warning on {@code System.err}. */
    public LogWriter(long maxQueuedBytes) {
        this(maxQueuedBytes, LogWriter::printWarning);
    }

    /** As {@link #LogWriter(long)}; its own warnings (drops, write failures) go to {@code warnings}. */
    public LogWriter(long maxQueuedBytes, Consumer<String> warnings) {
        this(maxQueuedBytes, warnings, System::nanoTime);
    }

    /** As above, with the clock that spaces warnings injected (tests). */
    LogWriter(long maxQueuedBytes, Consumer<String> warnings, LongSupplier nanoTime) {
        if (maxQueuedBytes <= 0) {
            throw new IllegalArgumentException("maxQueuedBytes must be positive: " + maxQueuedBytes);
        }
        this.maxQueuedBytes = maxQueuedBytes;
        this.loop = new WriterLoop(queue, queuedBytes, dropped, targets.values(), maxQueuedBytes,
                Objects.requireNonNull(warnings, "warnings"), Objects.requireNonNull(nanoTime, "nanoTime"));
        this.thread = new Thread(loop, THREAD_NAME);
        this.thread.setDaemon(true);
    }

    /** Starts the writer thread (once; later calls do nothing). Lines queued before are kept. */
    public void start() {
        synchronized (lifecycle) {
            if (closed) {
                throw new IllegalStateException("log writer is closed");
            }
            if (!started) {
                started = true;
                queue.consumer(thread);
                thread.start();
            }
        }
    }

    /**
     * Opens a log: {@code stderr}, {@code /dev/stderr}, {@code stdout} or {@code /dev/stdout}
     * name the JVM's own streams; anything else is a file, resolved against {@code prefix} when
     * relative (or against the working directory when {@code prefix} is null), opened for append
     * and created with mode 0644 now, in the caller's thread (config load). The same normalised
     * path gives the same target.
     *
     * @throws IOException reading like nginx: {@code open() "/abs/path" failed (2: No such file or directory)}
     */
    public LogTarget open(String path, Path prefix) throws IOException {
        Objects.requireNonNull(path, "path");
        String stream = streamName(path);
        synchronized (lifecycle) {
            if (closed) {
                throw new IllegalStateException("log writer is closed");
            }
            if (stream != null) {
                FileDescriptor fd = stream.equals("stderr") ? FileDescriptor.err : FileDescriptor.out;
                return targets.computeIfAbsent(stream, k -> FileTarget.stdStream(this, path, fd, STAGING_BYTES));
            }
            Path absolute = resolve(path, prefix);
            FileTarget existing = targets.get(absolute.toString());
            if (existing != null) {
                return existing;
            }
            FileTarget opened = FileTarget.openFile(this, path, absolute, STAGING_BYTES);
            targets.put(absolute.toString(), opened);
            return opened;
        }
    }

    /** Re-opens every file (log rotation: nginx's {@code -s reopen}); see {@link #reopenAsync()}. */
    public void reopen() {
        reopenAsync();
    }

    /**
     * Re-opens every file on the writer thread, after writing the lines queued before this call;
     * later lines go to the new files. Completes when done; a file that cannot be opened keeps
     * its old descriptor, is reported as a warning, and fails the future with nginx's message.
     */
    public CompletableFuture<Void> reopenAsync() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (!runOnWriter(() -> loop.reopenAll(done))) {
            done.completeExceptionally(new IllegalStateException("log writer is closed"));
        }
        return done;
    }

    /** Lines dropped so far because the queue was full or the writer closed. */
    public long droppedLines() {
        return dropped.get();
    }

    /** Bytes queued and not yet written. */
    public long queuedBytes() {
        return queuedBytes.get();
    }

    /**
     * Writes everything queued so far, closes the files and stops the thread, waiting at most
     * five seconds (a file on a hung disk must not hang shutdown). Later lines are dropped, and
     * their callbacks still run.
     */
    @Override
    public void close() {
        boolean wasStarted;
        synchronized (lifecycle) {
            closed = true;
            wasStarted = started;
        }
        if (!wasStarted) {
            loop.finish();
            return;
        }
        loop.requestStop();
        if (Thread.currentThread() == thread) {
            return;
        }
        try {
            thread.join(CLOSE_WAIT_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            loop.warn("log writer did not finish within " + CLOSE_WAIT_MILLIS + " ms; lines may be lost");
        }
    }

    /** Queues a task for the writer thread, run after the lines queued before it are written. */
    boolean runOnWriter(Runnable task) {
        return queue.push(QueuedLine.writerTask(task), true);
    }

    /** Number of write(2) calls made so far (to check that lines are batched). */
    long writeCalls() {
        return loop.writeCalls();
    }

    /**
     * Producer side of {@link LogTarget#append}: never blocks, never throws for a full queue.
     *
     * @param prompt wake the writer if it lingers ({@link LogTarget#appendSoon} passes false)
     */
    void enqueue(FileTarget target, byte[] line, Executor executor, Runnable whenWritten, boolean prompt) {
        int n = line.length;
        if (queuedBytes.addAndGet(n) <= maxQueuedBytes
                && queue.push(new QueuedLine(target, line, executor, whenWritten), prompt)) {
            return;
        }
        queuedBytes.addAndGet(-n);
        dropped.incrementAndGet();
        // The writer reports drops; if it is parked with nothing queued it would not notice.
        queue.wakeIfSleeping();
        if (whenWritten != null) {
            WriterLoop.runCallback(executor, whenWritten);
        }
    }

    private static void printWarning(String message) {
        System.err.println("tunnelgate: " + message);
    }

    private static String streamName(String path) {
        return switch (path) {
            case "stderr", "/dev/stderr" -> "stderr";
            case "stdout", "/dev/stdout" -> "stdout";
            default -> null;
        };
    }

    private static Path resolve(String path, Path prefix) throws IOException {
        try {
            Path p = Path.of(path);
            if (prefix != null) {
                p = prefix.resolve(p);
            }
            return p.toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            throw new IOException("open() \"" + path + "\" failed (22: Invalid argument)", e);
        }
    }
}
