package io.tunnelgate.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * What directive handlers may use while a config loads, beyond the block they write to: the
 * prefix relative paths resolve against (nginx's {@code -p}), and the services other packages put
 * here (the variable table, the log writer), looked up by type.
 */
public final class LoadContext {
    private final Path prefix;
    private Path confPrefix;
    private final Map<Class<?>, Object> services = new HashMap<>();
    private final List<String> warnings = new ArrayList<>();

    public LoadContext(Path prefix) {
        this.prefix = prefix.toAbsolutePath().normalize();
    }

    /** The prefix relative paths in directives resolve against. */
    public Path prefix() {
        return prefix;
    }

    /** Resolves a path from a directive against the prefix, as nginx does. */
    public Path resolve(String path) {
        return prefix.resolve(path).normalize();
    }

    /**
     * The folder of the main config file (nginx's conf prefix): paths that nginx resolves against
     * it, as {@code include} and {@code auth_basic_user_file}, resolve here. The prefix until
     * {@link #confPrefix(Path)} sets it.
     */
    public Path confPrefix() {
        return confPrefix != null ? confPrefix : prefix;
    }

    /** Sets the conf prefix: the main config file's folder. */
    public LoadContext confPrefix(Path folder) {
        this.confPrefix = folder.toAbsolutePath().normalize();
        return this;
    }

    /** Resolves a path from a directive against the conf prefix, as nginx does for {@code include}. */
    public Path resolveConf(String path) {
        return confPrefix().resolve(path).normalize();
    }

    /** Registers a service for handlers. */
    public <T> LoadContext put(Class<T> type, T service) {
        services.put(type, service);
        return this;
    }

    /**
     * Records a warning about the config (nginx's {@code [warn]}): accepted, but not doing what
     * nginx would. Printed by {@code -t} and at start.
     */
    public void warn(String reason, SourcePos pos) {
        warnings.add(pos == null ? reason : reason + " in " + pos);
    }

    /** Warnings recorded so far, in config order. */
    public List<String> warnings() {
        return List.copyOf(warnings);
    }

    /**
     * The registered service of this type, or the one {@code create} makes, registered now: for a
     * service that the first directive needing it sets up (the upstream groups).
     */
    public <T> T service(Class<T> type, Supplier<? extends T> create) {
        Object s = services.get(type);
        if (s == null) {
            s = create.get();
            services.put(type, s);
        }
        return type.cast(s);
    }

    /** A registered service; missing services are a wiring bug. */
    public <T> T service(Class<T> type) {
        Object s = services.get(type);
        if (s == null) {
            throw new IllegalStateException("no " + type.getSimpleName() + " in the load context");
        }
        return type.cast(s);
    }
}
