package io.tunnelgate.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The table of every directive Tunnelgate understands, filled by each package's directive class
 * (as nginx modules contribute their command tables) and read by {@link ConfigLoader}.
 *
 * <p>One name may have several rows for different contexts, as in nginx, where the http-level
 * {@code server { }} block and the {@code server address;} line inside {@code upstream { }} are
 * two commands of two modules: the loader takes the row whose contexts hold the current block's.
 */
public final class DirectiveRegistry {
    private final Map<String, List<DirectiveSpec>> specs = new HashMap<>();

    /** Adds a row; a name registered twice for one context is a programming error. */
    public DirectiveRegistry add(DirectiveSpec spec) {
        List<DirectiveSpec> rows = specs.computeIfAbsent(spec.name(), n -> new ArrayList<>(1));
        for (DirectiveSpec row : rows) {
            for (Context c : spec.contexts()) {
                if (row.contexts().contains(c)) {
                    throw new IllegalStateException("directive " + spec.name() + " registered twice for "
                            + c.label());
                }
            }
        }
        rows.add(spec);
        return this;
    }

    /** Whether any row has this name (else the loader reports an unknown directive). */
    public boolean knows(String name) {
        return specs.containsKey(name);
    }

    /** The row for {@code name} allowed in {@code context}, or null (unknown, or not allowed there). */
    public DirectiveSpec find(String name, Context context) {
        for (DirectiveSpec row : specs.getOrDefault(name, List.of())) {
            if (row.contexts().contains(context)) {
                return row;
            }
        }
        return null;
    }
}
