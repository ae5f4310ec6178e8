package io.tunnelgate.http;

import java.io.ByteArrayOutputStream;

/**
 * URI path normalisation for location matching, as nginx's complex-URI parser does it: %XX
 * decoded, repeated slashes merged, {@code .} and {@code ..} segments resolved.
 */
final class UriPaths {
    private UriPaths() {
    }

    /**
     * @return the normalised path (chars are bytes, ISO-8859-1), or null when it is invalid:
     *     a bad %-escape, a decoded NUL, or {@code ..} above the root
     */
    static String normalize(String path) {
        if (isNormal(path)) {
            return path;
        }
        String decoded = percentDecode(path);
        if (decoded == null) {
            return null;
        }
        return resolveDots(decoded);
    }

    /**
     * Whether {@code path} is its own normal form: no %-escape, no {@code //}, and no segment that
     * is {@code .} or {@code ..}. A dot inside a name ({@code /index.html}) needs no work, and most
     * paths have one.
     */
    private static boolean isNormal(String path) {
        int n = path.length();
        for (int i = 0; i < n; i++) {
            char c = path.charAt(i);
            if (c == '%') {
                return false;
            }
            if (c == '/' && i + 1 < n && (path.charAt(i + 1) == '/' || isDotSegment(path, i + 1))) {
                return false;
            }
        }
        return true;
    }

    /** Whether the segment that starts at {@code from} is {@code .} or {@code ..}. */
    private static boolean isDotSegment(String path, int from) {
        int end = path.indexOf('/', from);
        int len = (end < 0 ? path.length() : end) - from;
        return len == 1 && path.charAt(from) == '.' || len == 2 && path.startsWith("..", from);
    }

    private static String percentDecode(String s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                if (i + 2 >= s.length()) {
                    return null;
                }
                int hi = Character.digit(s.charAt(i + 1), 16);
                int lo = Character.digit(s.charAt(i + 2), 16);
                if (hi < 0 || lo < 0 || (hi | lo) == 0) {
                    return null;
                }
                out.write(hi << 4 | lo);
                i += 2;
            } else {
                out.write(c);
            }
        }
        return out.toString(java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    private static String resolveDots(String s) {
        StringBuilder out = new StringBuilder(s.length());
        int i = 0;
        int n = s.length();
        while (i < n) {
            int j = s.indexOf('/', i + 1);
            if (j < 0) {
                j = n;
            }
            String seg = s.substring(i, j);
            if (seg.equals("/") && j < n) {
                i = j;
                continue;
            }
            if (seg.equals("/.")) {
                if (j == n) {
                    out.append('/');
                }
            } else if (seg.equals("/..")) {
                int last = out.lastIndexOf("/");
                if (last < 0) {
                    return null;
                }
                out.setLength(last);
                if (j == n) {
                    out.append('/');
                }
            } else {
                out.append(seg);
            }
            i = j;
        }
        return out.length() == 0 ? "/" : out.toString();
    }
}
