package io.tunnelgate.forward;

import io.netty.util.AsciiString;
import java.util.Collection;
import java.util.List;

/**
 * A small immutable set of header names, matched without ASCII case against any
 * {@link CharSequence}, so that a head can be filtered name by name as the decoder delivered the
 * names, without a lower-case copy of each (nginx compares header names the same way).
 * Sets here hold a dozen names at most, so a scan that compares lengths first is the whole search.
 */
final class HeaderNameSet {
    private final AsciiString[] names;

    private HeaderNameSet(AsciiString[] names) {
        this.names = names;
    }

    static HeaderNameSet of(String... names) {
        return of(List.of(names));
    }

    static HeaderNameSet of(Collection<String> names) {
        return new HeaderNameSet(names.stream().distinct().map(AsciiString::cached).toArray(AsciiString[]::new));
    }

    boolean contains(CharSequence name) {
        for (AsciiString n : names) {
            if (n.contentEqualsIgnoreCase(name)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether {@code name} is a token of one of the {@code Connection} header values (a header
     * hop-by-hop for this connection only), ASCII case ignored, spaces around tokens skipped.
     */
    static boolean listed(List<String> connectionValues, CharSequence name) {
        for (String value : connectionValues) {
            int n = value.length();
            int i = 0;
            while (i <= n) {
                int comma = value.indexOf(',', i);
                int end = comma < 0 ? n : comma;
                int start = i;
                while (start < end && value.charAt(start) <= ' ') {
                    start++;
                }
                while (end > start && value.charAt(end - 1) <= ' ') {
                    end--;
                }
                int len = end - start;
                if (len > 0 && len == name.length() && AsciiString.regionMatchesAscii(value, true, start, name, 0, len)) {
                    return true;
                }
                i = (comma < 0 ? n : comma) + 1;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return List.of(names).toString();
    }
}
