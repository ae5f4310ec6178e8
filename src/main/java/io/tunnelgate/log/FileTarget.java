package io.tunnelgate.log;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executor;

/**
 * A log file (or the process's stderr/stdout) owned by a {@link LogWriter}. Producers only call
 * {@code append}, which queues; everything else runs on the writer thread: lines are copied into
 * one direct staging buffer per target and written with one write(2) per batch, so a burst of
 * lines costs one system call instead of one per line.
 *
 * <p>The channel is never interrupted (the writer thread is not), because an interrupt would
 * close it, and for stderr that would close the process's fd 2.
 */
final class FileTarget implements LogTarget {

    private static final Set<StandardOpenOption> APPEND = Set.of(
            StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    /** nginx creates log files 0644 (the umask still applies). */
    private static final FileAttribute<?> MODE_0644 =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r--r--"));
    private static final int MAX_ZERO_WRITES = 16;

    private final LogWriter writer;
    private final String name;
    /** Absolute, normalised path; null for a standard stream, which is never reopened or closed. */
    private final Path path;
    private final int stagingBytes;
    /**
     * Volatile although only the writer thread uses it after construction: the target may reach
     * that thread by a path this class does not control, and a stale null would lose lines.
     */
    private volatile FileChannel channel;
    private ByteBuffer staging;
    /** Whether the writer has this target in its list of targets to flush. */
    boolean listed;
    private long lastFailureWarnNanos;
    private long suppressedFailures;
    private boolean failureWarned;

    private FileTarget(LogWriter writer, String name, Path path, FileChannel channel, int stagingBytes) {
        this.writer = writer;
        this.name = name;
        this.path = path;
        this.channel = channel;
        this.stagingBytes = stagingBytes;
    }

    /** Opens {@code path} for append, creating it; the exception message reads like nginx's. */
    static FileTarget openFile(LogWriter writer, String name, Path path, int stagingBytes) throws IOException {
        return new FileTarget(writer, name, path, openChannel(path), stagingBytes);
    }

    /** A target on the JVM's own {@code FileDescriptor.err} or {@code .out}. */
    static FileTarget stdStream(LogWriter writer, String name, FileDescriptor fd, int stagingBytes) {
        // Constructed from a FileDescriptor, the stream registers no cleaner, so fd 2 stays open.
        return new FileTarget(writer, name, null, new FileOutputStream(fd).getChannel(), stagingBytes);
    }

    @Override
    public void append(byte[] line) {
        writer.enqueue(this, Objects.requireNonNull(line, "line"), null, null, true);
    }

    @Override
    public void appendSoon(byte[] line) {
        writer.enqueue(this, Objects.requireNonNull(line, "line"), null, null, false);
    }

    @Override
    public void append(byte[] line, Executor executor, Runnable whenWritten) {
        Objects.requireNonNull(line, "line");
        Objects.requireNonNull(executor, "executor");
        Objects.requireNonNull(whenWritten, "whenWritten");
        writer.enqueue(this, line, executor, whenWritten, true);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String toString() {
        return "LogTarget[" + name + "]";
    }

    /** The name used in messages: the absolute path of a file, the name of a stream. */
    String displayPath() {
        return path != null ? path.toString() : name;
    }

    /** Writer thread: adds a line to the staging buffer, writing first if it is full. */
    void stage(byte[] line, WriterLoop loop) {
        if (staging == null) {
            staging = ByteBuffer.allocateDirect(stagingBytes);
        }
        if (line.length > staging.remaining()) {
            flush(loop);
            if (line.length > staging.capacity()) {
                write(ByteBuffer.wrap(line), loop);
                return;
            }
        }
        staging.put(line);
    }

    /** Writer thread: writes whatever is staged. A failed write is reported, and its bytes dropped. */
    void flush(WriterLoop loop) {
        if (staging != null && staging.position() > 0) {
            staging.flip();
            write(staging, loop);
            staging.clear();
        }
    }

    /** Writer thread: opens the path again (log rotation); on failure the old file stays in use. */
    void reopen(WriterLoop loop) throws IOException {
        if (path == null) {
            return;
        }
        flush(loop);
        FileChannel fresh = openChannel(path);
        FileChannel old = channel;
        channel = fresh;
        closeQuietly(old);
    }

    /** Writer thread (or the closer, after the writer stopped): writes what is staged and closes. */
    void close(WriterLoop loop) {
        flush(loop);
        if (path != null) {
            closeQuietly(channel);
        }
    }

    /**
     * Writer thread: the warning for a failed write, or null when one was given less than
     * {@code intervalNanos} ago (a full disk fails every write; one line a second says enough).
     */
    String failureWarning(IOException e, long nowNanos, long intervalNanos) {
        if (failureWarned && nowNanos - lastFailureWarnNanos < intervalNanos) {
            suppressedFailures++;
            return null;
        }
        String suppressed = suppressedFailures == 0 ? "" : " (" + suppressedFailures + " similar failures not shown)";
        failureWarned = true;
        lastFailureWarnNanos = nowNanos;
        suppressedFailures = 0;
        return OsErrors.writeFailed(displayPath(), e) + suppressed;
    }

    private void write(ByteBuffer buf, WriterLoop loop) {
        try {
            int zeroWrites = 0;
            while (buf.hasRemaining()) {
                loop.countWrite();
                if (channel.write(buf) == 0 && ++zeroWrites > MAX_ZERO_WRITES) {
                    // Only a non-blocking stream inherited as stdout/stderr can do this; don't spin.
                    throw new IOException("Resource temporarily unavailable");
                }
            }
        } catch (IOException e) {
            loop.writeFailed(this, e);
        }
    }

    private static FileChannel openChannel(Path path) throws IOException {
        try {
            try {
                return FileChannel.open(path, APPEND, MODE_0644);
            } catch (UnsupportedOperationException notPosix) {
                return FileChannel.open(path, APPEND);
            }
        } catch (IOException e) {
            throw OsErrors.openFailed(path.toString(), e);
        }
    }

    private static void closeQuietly(FileChannel ch) {
        try {
            ch.close();
        } catch (IOException ignored) {
            // Closing a log file we no longer write to: there is nothing left to lose or report.
        }
    }
}
