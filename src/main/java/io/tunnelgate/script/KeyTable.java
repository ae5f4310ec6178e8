package io.tunnelgate.script;

import java.util.Map;

/**
 * An immutable string-keyed table that can look a key up by a region of a longer string, so that
 * trying every suffix or prefix of a host name against {@code map}'s wildcards allocates nothing.
 * Open addressing with linear probing, at most half full.
 *
 * @param <V> the value type
 */
final class KeyTable<V> {
    private final String[] keys;
    private final Object[] values;
    private final int mask;
    private final int size;

    KeyTable(Map<String, V> entries) {
        int capacity = 2;
        while (capacity < entries.size() * 2) {
            capacity <<= 1;
        }
        keys = new String[capacity];
        values = new Object[capacity];
        mask = capacity - 1;
        size = entries.size();
        for (Map.Entry<String, V> e : entries.entrySet()) {
            String k = e.getKey();
            int i = hash(k, 0, k.length()) & mask;
            while (keys[i] != null) {
                i = (i + 1) & mask;
            }
            keys[i] = k;
            values[i] = e.getValue();
        }
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** The value whose key equals {@code s.substring(from, to)}, or null. */
    @SuppressWarnings("unchecked")
    V get(String s, int from, int to) {
        int len = to - from;
        for (int i = hash(s, from, to) & mask; ; i = (i + 1) & mask) {
            String k = keys[i];
            if (k == null) {
                return null;
            }
            if (k.length() == len && k.regionMatches(0, s, from, len)) {
                return (V) values[i];
            }
        }
    }

    private static int hash(String s, int from, int to) {
        int h = 0;
        for (int i = from; i < to; i++) {
            h = 31 * h + s.charAt(i);
        }
        return h ^ (h >>> 16);
    }
}
