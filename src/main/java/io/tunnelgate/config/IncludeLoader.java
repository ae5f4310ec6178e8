package io.tunnelgate.config;

import java.nio.charset.StandardCharsets;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads one config file tree: parses a file and expands its {@code include} directives, keeping
 * the list of files read for {@code -T}. One instance serves one {@link ConfigReader} call.
 *
 * <p>Relative include paths resolve against the main file's directory (nginx's conf prefix), not
 * the including file's, so a file means the same thing wherever it is included from.
 */
final class IncludeLoader implements TreeBuilder.IncludeHandler {

    /** nginx has no limit and dies of "too many open files"; we stop recursion much earlier. */
    static final int MAX_DEPTH = 32;

    private final Path prefix;
    private final Map<Path, ConfigReader.LoadedFile> files = new LinkedHashMap<>();
    private int depth;

    /** @param mainFile the main config file; its directory is the prefix for relative includes */
    IncludeLoader(Path mainFile) {
        Path parent = mainFile.toAbsolutePath().getParent();
        this.prefix = parent == null ? mainFile.toAbsolutePath() : parent;
    }

    /** Parses one file's bytes, recording the file for {@link #files()}. */
    List<ConfigNode> parse(Path file, byte[] bytes) throws ConfigException {
        // a file included twice is listed once, as nginx -T prints it once
        files.putIfAbsent(file, new ConfigReader.LoadedFile(file, new String(bytes, StandardCharsets.UTF_8)));
        return new TreeBuilder(new Tokenizer(bytes, file), this).build();
    }

    /** Every file read so far: the main file first, then includes in the order read. */
    List<ConfigReader.LoadedFile> files() {
        return List.copyOf(files.values());
    }

    @Override
    public List<ConfigNode> expand(ConfigNode include) throws ConfigException {
        if (include.argCount() != 1) {
            throw new ConfigException("invalid number of arguments in \"include\" directive", include.pos());
        }
        Path full;
        try {
            full = prefix.resolve(include.arg(0));
        } catch (InvalidPathException e) {
            throw ConfigFiles.openFailed(include.arg(0), "No such file or directory", include.pos());
        }
        List<Path> paths = Glob.isPattern(full.toString()) ? Glob.match(full) : List.of(full);
        List<ConfigNode> nodes = new ArrayList<>();
        for (Path path : paths) {
            nodes.addAll(nested(path, include.pos()));
        }
        return nodes;
    }

    private List<ConfigNode> nested(Path path, SourcePos includePos) throws ConfigException {
        if (depth >= MAX_DEPTH) {
            throw new ConfigException("include nesting is too deep (\"" + path + "\")", includePos);
        }
        byte[] bytes = ConfigFiles.read(path, includePos);
        depth++;
        try {
            return parse(path, bytes);
        } finally {
            depth--;
        }
    }
}
