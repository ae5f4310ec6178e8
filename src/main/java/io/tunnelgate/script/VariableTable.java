package io.tunnelgate.script;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The variables one configuration may reference, by name, as nginx's variables hash is: the
 * built-in ones (some settable), families such as {@code $http_NAME}, regex captures, and the
 * user variables that {@code set}, {@code map} and named captures create while the config loads.
 *
 * <p>A name is looked up while values are compiled, never per request: compiled values hold the
 * {@link Getter} itself. As in nginx, a value may use a variable that a later directive defines;
 * such references are resolved by {@link #seal()} at the end of loading, which reports any that
 * stayed unknown. Built per config load on the loading thread; read-only afterwards.
 *
 * @param <C> the request type variables are read from
 */
public final class VariableTable<C extends ScriptContext> {
    private final Map<String, Getter<C>> exact = new HashMap<>();
    private final Map<String, Setter<C>> setters = new HashMap<>();
    private final Map<String, PrefixGetter<C>> prefixes = new LinkedHashMap<>();
    private final Map<String, Integer> userSlots = new HashMap<>();
    private final List<Forward<C>> forwards = new ArrayList<>();
    private int slots;

    /** A use of a variable not defined yet when it was compiled. */
    public record Unresolved(String name, Object site) {
    }

    public VariableTable() {
        for (int n = 1; n <= 9; n++) {
            int group = n;
            exact.put(Integer.toString(n), ctx -> {
                Captures c = ctx.captures();
                return c == null ? "" : c.group(group);
            });
        }
    }

    /** Defines a read-only built-in {@code $name}. A second definition is a programming error. */
    public VariableTable<C> define(String name, Getter<C> getter) {
        if (exact.putIfAbsent(name, getter) != null) {
            throw new IllegalStateException("variable $" + name + " defined twice");
        }
        return this;
    }

    /** Defines a read-only built-in whose value is always a count ({@link CountGetter}). */
    public VariableTable<C> defineCount(String name, CountGetter<C> getter) {
        return define(name, getter);
    }

    /** Defines a built-in that {@code set} may write (nginx's changeable variables). */
    public VariableTable<C> defineSettable(String name, Getter<C> getter, Setter<C> setter) {
        define(name, getter);
        setters.put(name, setter);
        return this;
    }

    /** Defines the family {@code $<prefix>NAME}, e.g. {@code http_} for request headers. */
    public VariableTable<C> definePrefix(String prefix, PrefixGetter<C> getter) {
        if (prefixes.putIfAbsent(prefix, getter) != null) {
            throw new IllegalStateException("variable family $" + prefix + " defined twice");
        }
        return this;
    }

    /** A new per-request storage slot (see {@link ScriptContext#slot}). */
    public int newSlot() {
        return slots++;
    }

    /** How many slots a request needs. */
    public int slotCount() {
        return slots;
    }

    /**
     * The slot of user variable {@code $name}, declaring the variable on first use (by {@code set},
     * {@code map}, {@code geo} or a named capture).
     *
     * @throws IllegalArgumentException nginx's {@code the duplicate "name" variable} when the name
     *     is a built-in that cannot be written
     */
    public int declareUser(String name) {
        name = key(name);
        Integer slot = userSlots.get(name);
        if (slot != null) {
            return slot;
        }
        if (exact.containsKey(name)) {
            throw new IllegalArgumentException("the duplicate \"" + name + "\" variable");
        }
        int s = newSlot();
        userSlots.put(name, s);
        exact.put(name, new UserVariable<>(name, s));
        setters.put(name, (ctx, value) -> ctx.slot(s, value));
        return s;
    }

    /**
     * Makes {@code $name} a variable whose value is computed when it is read ({@code map},
     * {@code geo}), as nginx gives a changeable variable a get handler: {@code set} may still write
     * it, and a later definition replaces an earlier one. Values compiled before this call see it
     * too, since they hold the variable itself.
     *
     * @param compute computes the value for one request; never returns null
     * @param cached true to compute once per request and keep the result in the variable's slot
     *     (which {@code set} also writes); false for nginx's {@code volatile}: computed on every read
     * @throws IllegalArgumentException {@code the duplicate "name" variable} for a built-in
     */
    public void defineComputed(String name, Getter<C> compute, boolean cached) {
        name = key(name);
        declareUser(name);
        if (!(exact.get(name) instanceof UserVariable<C> v)) {
            throw new IllegalStateException("$" + name + " is not a user variable");
        }
        v.compute = compute;
        v.cached = cached;
    }

    /**
     * The setter {@code set $name} uses: a settable built-in's, or a user variable's (declared now).
     *
     * @throws IllegalArgumentException {@code the duplicate "name" variable} for a read-only built-in
     */
    public Setter<C> setterFor(String name) {
        name = key(name);
        Setter<C> s = setters.get(name);
        if (s != null) {
            return s;
        }
        declareUser(name);
        return setters.get(name);
    }

    /**
     * The getter for {@code $name}. A name not known yet gives a forward reference, resolved by
     * {@link #seal()}.
     *
     * @param site where the reference is (reported if it stays unknown)
     */
    public Getter<C> require(String name, Object site) {
        name = key(name);
        Getter<C> g = lookup(name);
        if (g != null) {
            return g;
        }
        Forward<C> f = new Forward<>(name, site);
        forwards.add(f);
        return f;
    }

    /**
     * Resolves forward references at the end of loading.
     *
     * @return the first reference to a variable that was never defined, or null
     */
    public Unresolved seal() {
        for (Forward<C> f : forwards) {
            f.target = lookup(f.name);
            if (f.target == null) {
                return new Unresolved(f.name, f.site);
            }
        }
        forwards.clear();
        return null;
    }

    /** Variable names ignore case in nginx ({@code $Host} is {@code $host}). */
    private static String key(String name) {
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                return name.toLowerCase(Locale.ROOT);
            }
        }
        return name;
    }

    /**
     * Finds the getter for {@code $name}: an exact name first, then the longest matching family.
     *
     * @return the getter, or {@code null} when nginx would say {@code unknown "name" variable}
     */
    public Getter<C> lookup(String name) {
        name = key(name);
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
        return prefixes.get(bestPrefix).member(name.substring(bestPrefix.length()));
    }

    /**
     * A user variable: the value in its slot ({@code set}, a named capture), or, once
     * {@link #defineComputed} gave it one, the value its computation gives (cached in the slot).
     * Mutated only while the config loads.
     */
    private static final class UserVariable<C extends ScriptContext> implements Getter<C> {
        /** Marks a slot whose value is being computed, to catch a variable that needs itself. */
        private static final Object EVALUATING = new Object();

        private final String name;
        private final int slot;
        private Getter<C> compute;
        private boolean cached;

        UserVariable(String name, int slot) {
            this.name = name;
            this.slot = slot;
        }

        @Override
        public String get(C ctx) {
            Object v = ctx.slot(slot);
            if (v == EVALUATING) {
                // nginx: "cycle while evaluating variable" (it then fails the request)
                ctx.scriptWarning("cycle while evaluating variable \"" + name + "\"");
                return "";
            }
            if (compute == null) {
                if (v == null) {
                    ctx.scriptWarning("using uninitialized \"" + name + "\" variable");
                    return "";
                }
                return (String) v;
            }
            if (cached && v != null) {
                return (String) v;
            }
            ctx.slot(slot, EVALUATING);
            String result;
            try {
                result = compute.get(ctx);
            } finally {
                ctx.slot(slot, v);
            }
            if (cached) {
                ctx.slot(slot, result);
            }
            return result;
        }
    }

    /** A reference compiled before its variable was defined; bound by {@link #seal()}. */
    private static final class Forward<C> implements Getter<C> {
        private final String name;
        private final Object site;
        private Getter<C> target;

        Forward(String name, Object site) {
            this.name = name;
            this.site = site;
        }

        @Override
        public String get(C ctx) {
            return target.get(ctx);
        }
    }
}
