package io.tunnelgate.http;

/**
 * nginx's host validation ({@code ngx_http_validate_host}), used for the Host header, the
 * CONNECT authority and the host of absolute-form URIs.
 */
final class HostNames {
    private HostNames() {
    }

    /**
     * Validates and normalises a host, optionally followed by {@code :port} (which is cut off):
     * lower case, one trailing dot removed, brackets of an IPv6 literal kept.
     *
     * @return the normalised host, or null when nginx would reject it
     */
    static String validate(String host) {
        int len = host.length();
        int dotPos = len;
        int hostLen = len;
        boolean literal = false;
        boolean rest = false;
        boolean upper = false;
        for (int i = 0; i < len; i++) {
            char ch = host.charAt(i);
            switch (ch) {
                case '.' -> {
                    if (dotPos == i - 1) {
                        return null;
                    }
                    dotPos = i;
                }
                case ':' -> {
                    if (!literal && !rest) {
                        hostLen = i;
                        rest = true;
                    }
                }
                case '[' -> {
                    if (i == 0) {
                        literal = true;
                    }
                }
                case ']' -> {
                    if (literal && !rest) {
                        hostLen = i + 1;
                        literal = false;
                        rest = true;
                    }
                }
                default -> {
                    if (ch == '/' || ch <= 0x20 || ch == 0x7f) {
                        return null;
                    }
                    if (ch >= 'A' && ch <= 'Z') {
                        upper = true;
                    }
                }
            }
        }
        if (dotPos == hostLen - 1) {
            hostLen--;
        }
        if (hostLen <= 0) {
            return null;
        }
        String h = host.substring(0, hostLen);
        return upper ? lowerAscii(h) : h;
    }

    /**
     * Folds A-Z only, as nginx's {@code ngx_strlow}. Chars here stand for raw header bytes
     * (ISO-8859-1); {@code String.toLowerCase} would also fold some of those ({@code Ã}, 0xC3)
     * and so change the bytes of a UTF-8 name.
     */
    private static String lowerAscii(String s) {
        char[] chars = s.toCharArray();
        for (int i = 0; i < chars.length; i++) {
            if (chars[i] >= 'A' && chars[i] <= 'Z') {
                chars[i] = (char) (chars[i] + ('a' - 'A'));
            }
        }
        return new String(chars);
    }
}
