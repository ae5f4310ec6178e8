package io.tunnelgate.script;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The keys of a {@code map} that are not regexes, matched as nginx's combined hash matches them:
 * an exact key first; then, with {@code hostnames}, the longest leading wildcard
 * ({@code *.example.com} matches names below example.com, {@code .example.com} also example.com
 * itself); then the longest trailing wildcard ({@code www.example.*}). Keys are compared in ASCII
 * lower case, as nginx lowercases them and the value looked up.
 *
 * @param <V> the value a key maps to
 */
public final class MapKeys<V> {
    /** A leading wildcard's value; {@code dot} for {@code .example.com}, which also matches example.com. */
    private record Head<V>(V value, boolean dot) {
    }

    private final KeyTable<V> exact;
    private final KeyTable<Head<V>> head;
    private final KeyTable<V> tail;

    private MapKeys(Map<String, V> exact, Map<String, Head<V>> head, Map<String, V> tail) {
        this.exact = new KeyTable<>(exact);
        this.head = new KeyTable<>(head);
        this.tail = new KeyTable<>(tail);
    }

    /**
     * The value for {@code name}, which must already be in lower case ({@link #lowerCase}), or null.
     */
    public V find(String name) {
        int n = name.length();
        V v = exact.get(name, 0, n);
        if (v != null || n == 0) {
            return v;
        }
        if (!head.isEmpty()) {
            Head<V> h = head.get(name, 0, n);
            if (h != null && h.dot()) {
                return h.value();
            }
            // the longest suffix after a dot first: nginx's wildcard tree returns its deepest match
            for (int i = name.indexOf('.'); i >= 0; i = name.indexOf('.', i + 1)) {
                h = head.get(name, i + 1, n);
                if (h != null) {
                    return h.value();
                }
            }
        }
        if (!tail.isEmpty()) {
            for (int i = name.lastIndexOf('.'); i > 0; i = name.lastIndexOf('.', i - 1)) {
                v = tail.get(name, 0, i);
                if (v != null) {
                    return v;
                }
            }
        }
        return null;
    }

    /** {@code s} with ASCII letters in lower case (nginx's {@code ngx_tolower}); {@code s} itself if it has none. */
    public static String lowerCase(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                char[] chars = s.toCharArray();
                for (int j = i; j < chars.length; j++) {
                    if (chars[j] >= 'A' && chars[j] <= 'Z') {
                        chars[j] += 'a' - 'A';
                    }
                }
                return new String(chars);
            }
        }
        return s;
    }

    /** What adding a key did (nginx's {@code ngx_hash_add_key} results). */
    public enum Added {
        /** The key was added. */
        OK,
        /** Not a valid host name or wildcard: nginx's {@code invalid hostname or wildcard}. */
        INVALID,
        /** The key, or one it conflicts with, is there already: nginx's {@code conflicting parameter}. */
        CONFLICT
    }

    /**
     * Collects keys in config order with nginx's checks.
     *
     * @param <V> the value a key maps to
     */
    public static final class Builder<V> {
        private final Map<String, V> exact = new HashMap<>();
        /** Exact keys and the names {@code .example.com} also covers: nginx checks conflicts on both. */
        private final Set<String> exactNames = new HashSet<>();
        private final Map<String, Head<V>> head = new HashMap<>();
        private final Map<String, V> tail = new HashMap<>();

        /**
         * Adds a key.
         *
         * @param hostnames whether {@code hostnames} came before the key: only then are wildcards
         *     wildcards (otherwise {@code *.example.com} is a plain key)
         */
        public Added add(String key, V value, boolean hostnames) {
            if (hostnames) {
                int stars = 0;
                for (int i = 0; i < key.length(); i++) {
                    char c = key.charAt(i);
                    if (c == '*' && ++stars > 1 || c == '\0'
                            || c == '.' && i + 1 < key.length() && key.charAt(i + 1) == '.') {
                        return Added.INVALID;
                    }
                }
                int n = key.length();
                if (n > 1 && key.charAt(0) == '.') {
                    return addHead(lowerCase(key.substring(1)), value, true);
                }
                if (n > 2 && key.startsWith("*.")) {
                    return addHead(lowerCase(key.substring(2)), value, false);
                }
                if (n > 2 && key.endsWith(".*")) {
                    String prefix = lowerCase(key.substring(0, n - 2));
                    return tail.putIfAbsent(prefix, value) == null ? Added.OK : Added.CONFLICT;
                }
                if (stars > 0) {
                    return Added.INVALID;
                }
            }
            String k = lowerCase(key);
            if (!exactNames.add(k)) {
                return Added.CONFLICT;
            }
            exact.put(k, value);
            return Added.OK;
        }

        private Added addHead(String suffix, V value, boolean dot) {
            if (dot && !exactNames.add(suffix)) {
                return Added.CONFLICT;
            }
            return head.putIfAbsent(suffix, new Head<>(value, dot)) == null ? Added.OK : Added.CONFLICT;
        }

        public MapKeys<V> build() {
            return new MapKeys<>(exact, head, tail);
        }
    }
}
