package io.tunnelgate.script;

import java.util.ArrayList;
import java.util.List;

/**
 * A compiled {@code map $source $variable { ... }}: the value of the variable for a request.
 *
 * <p>As nginx: the source (a complex value) is evaluated; with {@code hostnames} one trailing dot is
 * dropped; the exact and wildcard keys are looked up in lower case ({@link MapKeys}); then, for a
 * non-empty source, the {@code ~regex} keys are tried in config order, a match setting the
 * captures the value may use ({@code $1}, named groups); otherwise the {@code default} value, or
 * the empty string without one. Values are complex values, evaluated after the match.
 *
 * @param <C> the request type
 */
public final class MapVariable<C extends ScriptContext> implements Getter<C> {
    private final ComplexValue<C> source;
    private final boolean hostnames;
    private final boolean isVolatile;
    private final MapKeys<ComplexValue<C>> keys;
    private final Regex<C>[] regexes;
    private final ComplexValue<C>[] regexValues;
    private final ComplexValue<C> defaultValue;

    private MapVariable(Builder<C> b) {
        this.source = b.source;
        this.hostnames = b.hostnames;
        this.isVolatile = b.isVolatile;
        this.keys = b.keys.build();
        @SuppressWarnings("unchecked")
        Regex<C>[] r = b.regexes.toArray(new Regex[0]);
        @SuppressWarnings("unchecked")
        ComplexValue<C>[] v = b.regexValues.toArray(new ComplexValue[0]);
        this.regexes = r;
        this.regexValues = v;
        this.defaultValue = b.defaultValue != null ? b.defaultValue : ComplexValue.constant("");
    }

    /** Whether the map said {@code volatile}: its value is not cached for the request. */
    public boolean isVolatile() {
        return isVolatile;
    }

    @Override
    public String get(C ctx) {
        String value = source.evaluate(ctx);
        int n = value.length();
        if (hostnames && n > 0 && value.charAt(n - 1) == '.') {
            value = value.substring(0, n - 1);
        }
        ComplexValue<C> result = find(ctx, value);
        return (result != null ? result : defaultValue).evaluate(ctx);
    }

    private ComplexValue<C> find(C ctx, String value) {
        ComplexValue<C> v = keys.find(MapKeys.lowerCase(value));
        if (v != null || value.isEmpty()) {
            return v;
        }
        for (int i = 0; i < regexes.length; i++) {
            if (regexes[i].matches(ctx, value)) {
                return regexValues[i];
            }
        }
        return null;
    }

    /**
     * Collects a map's lines in config order.
     *
     * @param <C> the request type
     */
    public static final class Builder<C extends ScriptContext> {
        private final ComplexValue<C> source;
        private final MapKeys.Builder<ComplexValue<C>> keys = new MapKeys.Builder<>();
        private final List<Regex<C>> regexes = new ArrayList<>();
        private final List<ComplexValue<C>> regexValues = new ArrayList<>();
        private ComplexValue<C> defaultValue;
        private boolean hostnames;
        private boolean isVolatile;

        public Builder(ComplexValue<C> source) {
            this.source = source;
        }

        /** {@code hostnames}: keys after this line may be wildcards. */
        public void hostnames() {
            hostnames = true;
        }

        /** {@code volatile}. */
        public void makeVolatile() {
            isVolatile = true;
        }

        /**
         * {@code default value}.
         *
         * @return false when there is a default already (nginx's {@code duplicate default map parameter})
         */
        public boolean defaultValue(ComplexValue<C> value) {
            if (defaultValue != null) {
                return false;
            }
            defaultValue = value;
            return true;
        }

        /** {@code ~regex value} or {@code ~*regex value}. */
        public void regex(Regex<C> regex, ComplexValue<C> value) {
            regexes.add(regex);
            regexValues.add(value);
        }

        /** {@code key value}, with any leading backslash already removed. */
        public MapKeys.Added key(String key, ComplexValue<C> value) {
            return keys.add(key, value, hostnames);
        }

        public MapVariable<C> build() {
            return new MapVariable<>(this);
        }
    }
}
