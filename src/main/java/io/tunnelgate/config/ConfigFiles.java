package io.tunnelgate.config;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Reads a config file whole, turning I/O failures into nginx's wording, e.g.
 * {@code open() "/etc/x.conf" failed (2: No such file or directory)}, which names the errno as
 * nginx's log does so that operators can look it up the same way.
 */
final class ConfigFiles {

    /** Linux errno numbers for the reasons the JDK reports as text. */
    private static final Map<String, Integer> ERRNO = Map.of(
            "No such file or directory", 2,
            "Permission denied", 13,
            "Not a directory", 20,
            "Is a directory", 21,
            "Too many levels of symbolic links", 40,
            "File name too long", 36);

    private ConfigFiles() {
    }

    /**
     * Returns the file's bytes.
     *
     * @param where the {@code include} that names the file, or null for the main file
     */
    static byte[] read(Path file, SourcePos where) throws ConfigException {
        if (Files.isDirectory(file)) {
            // open(2) succeeds on a directory; nginx fails at the first read
            throw new ConfigException("pread() \"" + file + "\" failed (21: Is a directory)", where);
        }
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw openFailed(file, "No such file or directory", where);
        } catch (AccessDeniedException e) {
            throw openFailed(file, "Permission denied", where);
        } catch (FileSystemException e) {
            throw openFailed(file, e.getReason() == null ? "I/O error" : e.getReason(), where);
        } catch (IOException e) {
            throw openFailed(file, String.valueOf(e.getMessage()), where);
        }
    }

    /** The error for a file that cannot be opened, with nginx's {@code (errno: text)} suffix. */
    static ConfigException openFailed(Object file, String reason, SourcePos where) {
        Integer errno = ERRNO.get(reason);
        String detail = errno == null ? reason : errno + ": " + reason;
        return new ConfigException("open() \"" + file + "\" failed (" + detail + ")", where);
    }
}
