package io.tunnelgate.http;

/**
 * Escapes a URI path for a {@code Location} header as nginx's {@code NGX_ESCAPE_URI} does: control
 * characters, bytes above 0x7e, space and {@code " # % < > ? \ ^ ` { | }} become {@code %XX}.
 * Used for the redirects nginx makes from a URI: a directory without its slash, a location's
 * auto-redirect.
 */
public final class UriEscape {
    private static final String HEX = "0123456789ABCDEF";
    private static final String SPECIAL = " \"#%<>?\\^`{|}";

    private UriEscape() {
    }

    /** @param uri one char per byte (ISO-8859-1), as URIs are kept */
    public static String escape(String uri) {
        StringBuilder out = null;
        for (int i = 0; i < uri.length(); i++) {
            char c = uri.charAt(i);
            boolean escape = c < 0x20 || c >= 0x7f || SPECIAL.indexOf(c) >= 0;
            if (escape && out == null) {
                out = new StringBuilder(uri.length() + 16).append(uri, 0, i);
            }
            if (escape) {
                out.append('%').append(HEX.charAt(c >> 4 & 0xf)).append(HEX.charAt(c & 0xf));
            } else if (out != null) {
                out.append(c);
            }
        }
        return out == null ? uri : out.toString();
    }
}
