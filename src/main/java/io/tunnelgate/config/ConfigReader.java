package io.tunnelgate.config;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Reads an nginx-syntax config into a tree of {@link ConfigNode}s with every {@code include}
 * expanded in place. This is only the syntax: which directives exist and where they may appear is
 * decided by the layer above, on the finished tree.
 */
public final class ConfigReader {

    private ConfigReader() {
    }

    /**
     * The parsed config.
     *
     * @param nodes the top-level directives, includes spliced in
     * @param files every file read: the main file first, then includes in the order they were
     *     first read (each file once), for printing like {@code nginx -T}
     */
    public record Result(List<ConfigNode> nodes, List<LoadedFile> files) {

        /** Copies the lists; the result is immutable. */
        public Result {
            nodes = List.copyOf(nodes);
            files = List.copyOf(files);
        }
    }

    /**
     * One file that was read.
     *
     * @param path the file, as given (main file) or as the include resolved it
     * @param text its content, decoded as UTF-8
     */
    public record LoadedFile(Path path, String text) {

        /** Rejects nulls. */
        public LoadedFile {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(text, "text");
        }
    }

    /**
     * Reads and parses a config file and everything it includes.
     *
     * @param mainFile the main config; relative includes resolve against its directory
     */
    public static Result read(Path mainFile) throws ConfigException {
        return parse(mainFile, ConfigFiles.read(mainFile, null));
    }

    /**
     * Parses text as if it were the file {@code pretendFile}: errors name that file, and relative
     * includes resolve against its directory. Used for the built-in default config and in tests.
     */
    public static Result read(String text, Path pretendFile) throws ConfigException {
        return parse(pretendFile, text.getBytes(StandardCharsets.UTF_8));
    }

    private static Result parse(Path file, byte[] bytes) throws ConfigException {
        IncludeLoader loader = new IncludeLoader(file);
        List<ConfigNode> nodes = loader.parse(file, bytes);
        return new Result(nodes, loader.files());
    }
}
