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
        boolean simple = true;
        for (int i = 0; i < path.length() && simple; i++) {
            char c = path.charAt(i);
            simple = c != '%' && c != '.' && !(c == '/' && i + 1 < path.length() && path.charAt(i + 1) == '/');
        }
        if (simple) {
            return path;
        }
        String decoded = percentDecode(path);
        if (decoded == null) {
            return null;
        }
        return resolveDots(decoded);
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
