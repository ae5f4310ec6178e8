package io.tunnelgate.files;

import io.netty.channel.EventLoop;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Every file-system call of the static module, made on the blocking pool. Each one first checks
 * that it is not running on the connection's event loop and fails loudly if it is, so a change
 * that moved file work onto an event loop breaks every static-file test instead of silently
 * stalling other connections in production.
 */
final class FileProbe {
    /** What a path is. */
    enum Kind {
        /** A regular file (opened, when asked). */
        FILE,
        /** A directory. */
        DIRECTORY,
        /** Something else: a device, a FIFO, a socket. */
        OTHER,
        /** The call failed; see the error. */
        ERROR
    }

    /**
     * The answer for one path.
     *
     * @param size bytes, for a file
     * @param mtime last modification, epoch seconds
     * @param channel the open file when one was asked for and the path is a file, else null
     * @param error why the call failed, for {@link Kind#ERROR}
     */
    record Result(Kind kind, long size, long mtime, FileChannel channel, IOException error) {
        static Result failed(IOException e) {
            return new Result(Kind.ERROR, 0, 0, null, e);
        }
    }

    private FileProbe() {
    }

    /** stat(2) of {@code path} (following symbolic links). */
    static Result stat(EventLoop loop, String path) {
        refuseEventLoop(loop);
        try {
            BasicFileAttributes a = Files.readAttributes(toPath(path), BasicFileAttributes.class);
            Kind kind = a.isRegularFile() ? Kind.FILE : a.isDirectory() ? Kind.DIRECTORY : Kind.OTHER;
            return new Result(kind, a.size(), a.lastModifiedTime().toMillis() / 1000, null, null);
        } catch (IOException e) {
            return Result.failed(e);
        }
    }

    /** stat(2), then open(2) for reading when it is a regular file. */
    static Result open(EventLoop loop, String path) {
        Result r = stat(loop, path);
        if (r.kind() != Kind.FILE) {
            return r;
        }
        try {
            FileChannel ch = FileChannel.open(toPath(path), StandardOpenOption.READ);
            return new Result(Kind.FILE, r.size(), r.mtime(), ch, null);
        } catch (IOException e) {
            return Result.failed(e);
        }
    }

    /** Closes a file that is not going to be sent after all. */
    static void close(EventLoop loop, FileChannel ch) {
        refuseEventLoop(loop);
        try {
            ch.close();
        } catch (IOException e) {
            // nothing was written to it; a failing close of a read-only file loses nothing
        }
    }

    private static Path toPath(String path) throws IOException {
        try {
            return Path.of(path);
        } catch (InvalidPathException e) {
            // a NUL or bytes the platform cannot name: no such file can exist
            throw new NoSuchFileException(path);
        }
    }

    /** @param loop the event loop of the connection the call is made for */
    private static void refuseEventLoop(EventLoop loop) {
        if (loop.inEventLoop()) {
            throw new IllegalStateException("file-system call on event loop thread " + Thread.currentThread().getName());
        }
    }
}
