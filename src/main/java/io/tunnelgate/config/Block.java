package io.tunnelgate.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One block of the config while it is loaded: its context, the directive that opened it, the
 * settings its directives stored, and its child blocks in config order.
 *
 * <p>Mutable only during loading, on the loading thread; afterwards each package turns blocks into
 * its own immutable records. Reads merge as nginx does (see {@link Setting}).
 */
public final class Block {
    private final Context context;
    private final Block parent;
    private final ConfigNode node;
    private final Map<Setting<?>, Object> values = new HashMap<>();
    private final List<Block> children = new ArrayList<>();

    private Block(Context context, Block parent, ConfigNode node) {
        this.context = context;
        this.parent = parent;
        this.node = node;
    }

    /** The top-level block of a config. */
    public static Block root() {
        return new Block(Context.MAIN, null, null);
    }

    /** Creates and appends a child block opened by {@code opener}. */
    public Block openChild(Context childContext, ConfigNode opener) {
        Block child = new Block(childContext, this, opener);
        children.add(child);
        return child;
    }

    public Context context() {
        return context;
    }

    /** The enclosing block, or null for the main block. */
    public Block parent() {
        return parent;
    }

    /** The directive that opened this block (null for the main block). */
    public ConfigNode node() {
        return node;
    }

    /** Child blocks in config order. */
    public List<Block> children() {
        return Collections.unmodifiableList(children);
    }

    /** Child blocks of one context, in config order. */
    public List<Block> children(Context ctx) {
        List<Block> out = new ArrayList<>();
        for (Block b : children) {
            if (b.context == ctx) {
                out.add(b);
            }
        }
        return out;
    }

    /**
     * Stores a value set by {@code node}.
     *
     * @throws ConfigException {@code "name" directive is duplicate} if this block already set it
     */
    public <T> void set(Setting<T> setting, T value, ConfigNode node) throws ConfigException {
        if (values.containsKey(setting)) {
            throw new ConfigException("\"" + node.name() + "\" directive is duplicate", node.pos());
        }
        values.put(setting, value);
    }

    /** Stores a value, replacing any earlier one at this level (for directives nginx lets repeat). */
    public <T> void put(Setting<T> setting, T value) {
        values.put(setting, value);
    }

    /**
     * Appends to a list-valued setting at this level (directives that may repeat, such as
     * {@code access_log}); a level that appends anything replaces what it would inherit.
     */
    @SuppressWarnings("unchecked")
    public <T> void append(Setting<List<T>> setting, T item) {
        List<T> list = (List<T>) values.computeIfAbsent(setting, k -> new ArrayList<T>());
        list.add(item);
    }

    /** True if this block itself set the value. */
    public boolean isSetHere(Setting<?> setting) {
        return values.containsKey(setting);
    }

    /** The value set at this level, or null. */
    @SuppressWarnings("unchecked")
    public <T> T local(Setting<T> setting) {
        return (T) values.get(setting);
    }

    /** The merged value: this level, else (if inherited) the nearest enclosing level, else default. */
    @SuppressWarnings("unchecked")
    public <T> T get(Setting<T> setting) {
        for (Block b = this; b != null; b = b.parent) {
            if (b.values.containsKey(setting)) {
                T v = (T) b.values.get(setting);
                return v instanceof List<?> list ? (T) List.copyOf(list) : v;
            }
            if (!setting.inherited()) {
                break;
            }
        }
        return setting.defaultValue();
    }

    /** The nearest enclosing block (or this one) of the given context, or null. */
    public Block enclosing(Context ctx) {
        for (Block b = this; b != null; b = b.parent) {
            if (b.context == ctx) {
                return b;
            }
        }
        return null;
    }
}
