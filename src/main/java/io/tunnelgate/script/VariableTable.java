package io.tunnelgate.script;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The variables a config may reference, by name, as nginx's variables hash is.
 *
 * <p>Filled once at start-up by the packages that own the values (http, tunnel, log ...) and then
 * only read, while configs are compiled. A name is looked up at config time, never per request:
 * compiled values hold the {@link Getter} itself.
 *
 * @param <C> the request type variables are read from
 */
public final class VariableTable<C> {
    private final Map<String, Getter<C>> exact = new HashMap<>();
    private final Map<String, PrefixGetter<C>> prefixes = new LinkedHashMap<>();

    /** Defines {@code $name}. A second definition of one name is a programming error. */
    public VariableTable<C> define(String name, Getter<C> getter) {
        if (exact.putIfAbsent(name, getter) != null) {
            throw new IllegalStateException("variable $" + name + " defined twice");
        }
        return this;
    }

    /** Defines the family {@code $<prefix>NAME}, e.g. {@code http_} for request headers. */
    public VariableTable<C> definePrefix(String prefix, PrefixGetter<C> getter) {
        if (prefixes.putIfAbsent(prefix, getter) != null) {
            throw new IllegalStateException("variable family $" + prefix + " defined twice");
        }
        return this;
    }

    /**
     * The getter for {@code $name}, for compiling a value that uses it.
     *
     * @throws IllegalArgumentException nginx's {@code unknown "name" variable}
     */
    public Getter<C> require(String name) {
        Getter<C> g = lookup(name);
        if (g == null) {
            throw new IllegalArgumentException("unknown \"" + name + "\" variable");
        }
        return g;
    }

    /**
     * Finds the getter for {@code $name}: an exact name first, then the longest matching family.
     *
     * @return the getter, or {@code null} when nginx would say {@code unknown "name" variable}
     */
    public Getter<C> lookup(String name) {
        Getter<C> g = exact.get(name);
        if (g != null) {
            return g;
        }
        String bestPrefix = null;
        for (String prefix : prefixes.keySet()) {
            if (name.startsWith(prefix) && name.length() > prefix.length()
                    && (bestPrefix == null || prefix.length() > bestPrefix.length())) {
                bestPrefix = prefix;
            }
        }
        if (bestPrefix == null) {
            return null;
        }
        PrefixGetter<C> family = prefixes.get(bestPrefix);
        String suffix = name.substring(bestPrefix.length());
        return ctx -> family.get(ctx, suffix);
    }
}
