package io.tunnelgate.auth;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.Objects;

/**
 * What tells one version of a file from another without reading it: modification time, size, and
 * the file key (device and inode on Unix), which changes when a tool writes a new file and renames
 * it over the old one even within the same clock tick.
 *
 * @param key the file system's key of the file, or null where it has none
 */
record FileStamp(FileTime modified, long size, Object key) {
    /** Stats {@code path} (following links); file-system work, never on an event loop. */
    static FileStamp of(Path path) throws IOException {
        BasicFileAttributes a = Files.readAttributes(path, BasicFileAttributes.class);
        return new FileStamp(a.lastModifiedTime(), a.size(), a.fileKey());
    }

    boolean sameAs(FileStamp other) {
        return other != null && modified.equals(other.modified) && size == other.size && Objects.equals(key, other.key);
    }
}
