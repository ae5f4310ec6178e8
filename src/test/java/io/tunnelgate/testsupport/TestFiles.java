package io.tunnelgate.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes test input files, typically into a JUnit {@code @TempDir}. */
public final class TestFiles {

    /** File name {@link #config} uses. */
    public static final String CONFIG_NAME = "tunnelgate.conf";

    private TestFiles() {
    }

    /** Writes {@code text} (UTF-8) to {@code dir/fileName}, creating parent directories; returns the path. */
    public static Path write(Path dir, String fileName, String text) {
        try {
            Path file = dir.resolve(fileName);
            Path parent = file.getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            return Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Writes a configuration (e.g. a text block with ports filled in by {@code formatted}) to
     * {@code dir/tunnelgate.conf}; returns the path.
     */
    public static Path config(Path dir, String text) {
        return write(dir, CONFIG_NAME, text);
    }
}
