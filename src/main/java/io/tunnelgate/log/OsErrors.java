package io.tunnelgate.log;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.util.List;

/**
 * Words file errors the way nginx does ({@code (2: No such file or directory)}). Java keeps only
 * the strerror text of an errno, so the number is found again from a table of the Linux errors a
 * log file can meet.
 */
public final class OsErrors {

    private static final List<Errno> ERRNOS = List.of(
        new Errno(1, "Operation not permitted"),
        new Errno(2, "No such file or directory"),
        new Errno(5, "Input/output error"),
        new Errno(6, "No such device or address"),
        new Errno(9, "Bad file descriptor"),
        new Errno(11, "Resource temporarily unavailable"),
        new Errno(13, "Permission denied"),
        new Errno(17, "File exists"),
        new Errno(19, "No such device"),
        new Errno(20, "Not a directory"),
        new Errno(21, "Is a directory"),
        new Errno(22, "Invalid argument"),
        new Errno(23, "Too many open files in system"),
        new Errno(24, "Too many open files"),
        new Errno(26, "Text file busy"),
        new Errno(27, "File too large"),
        new Errno(28, "No space left on device"),
        new Errno(30, "Read-only file system"),
        new Errno(32, "Broken pipe"),
        new Errno(36, "File name too long"),
        new Errno(40, "Too many levels of symbolic links"),
        new Errno(122, "Disk quota exceeded"));

    private OsErrors() {
    }

    /** {@code open() "<path>" failed (<errno>: <text>)}, keeping {@code cause}. */
    static IOException openFailed(String path, IOException cause) {
        return new IOException("open() \"" + path + "\" failed (" + describe(cause) + ")", cause);
    }

    /** {@code write() to "<path>" failed (<errno>: <text>)}. */
    static String writeFailed(String path, IOException cause) {
        return "write() to \"" + path + "\" failed (" + describe(cause) + ")";
    }

    /** The errno of {@code e}, or 0 when it is not known. */
    public static int number(IOException e) {
        String d = describe(e);
        int colon = d.indexOf(':');
        if (colon <= 0) {
            return 0;
        }
        for (int i = 0; i < colon; i++) {
            if (!Character.isDigit(d.charAt(i))) {
                return 0;
            }
        }
        return Integer.parseInt(d.substring(0, colon));
    }

    /** {@code <errno>: <text>} for {@code e}, or just the text when its number is unknown. */
    public static String describe(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "2: No such file or directory";
        }
        if (e instanceof AccessDeniedException) {
            return "13: Permission denied";
        }
        if (e instanceof FileAlreadyExistsException) {
            return "17: File exists";
        }
        if (e instanceof ClosedChannelException) {
            return "9: Bad file descriptor";
        }
        String reason = e instanceof FileSystemException fse ? fse.getReason() : e.getMessage();
        if (reason == null) {
            return e.getClass().getSimpleName();
        }
        for (Errno errno : ERRNOS) {
            // The JDK lengthens some texts ("... or unable to access attributes of symbolic link").
            if (reason.startsWith(errno.text())) {
                return errno.number() + ": " + errno.text();
            }
        }
        return reason;
    }

    /** One Linux errno and its strerror text. */
    private record Errno(int number, String text) {
    }
}
