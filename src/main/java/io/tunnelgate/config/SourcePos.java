package io.tunnelgate.config;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where a directive or an error sits: a config file and a 1-based line number.
 *
 * <p>{@link #toString()} gives nginx's {@code file:line} shape. The file is printed exactly as the
 * reader was given it (the main file) or as the include resolved it (always absolute), because
 * operators grep their configs for the path nginx would have printed.
 *
 * @param file the config file, never null
 * @param line 1-based line number
 */
public record SourcePos(Path file, int line) {

    /** Rejects a null file so that every position can be printed. */
    public SourcePos {
        Objects.requireNonNull(file, "file");
    }

    @Override
    public String toString() {
        return file + ":" + line;
    }
}
