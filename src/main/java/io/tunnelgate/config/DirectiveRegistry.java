package io.tunnelgate.config;

import java.util.HashMap;
import java.util.Map;

/**
 * The table of every directive Tunnelgate understands, filled by each package's directive class
 * (as nginx modules contribute their command tables) and read by {@link ConfigLoader}.
 */
public final class DirectiveRegistry {
    private final Map<String, DirectiveSpec> specs = new HashMap<>();

    /** Adds a row; registering a name twice is a programming error. */
    public DirectiveRegistry add(DirectiveSpec spec) {
        if (specs.putIfAbsent(spec.name(), spec) != null) {
            throw new IllegalStateException("directive " + spec.name() + " registered twice");
        }
        return this;
    }

    /** The row for {@code name}, or null if the directive is unknown. */
    public DirectiveSpec find(String name) {
        return specs.get(name);
    }
}
