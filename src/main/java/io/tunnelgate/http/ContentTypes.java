package io.tunnelgate.http;

import java.util.Map;

/**
 * A level's {@code types} map and {@code default_type}: the Content-Type of a file (and of a
 * {@code return} text) chosen by the extension of the request's URI, as nginx does.
 *
 * @param byExtension lower-case extension to MIME type
 * @param defaultType the type when the URI has no extension or an unknown one
 */
public record ContentTypes(Map<String, String> byExtension, String defaultType) {
    /** The built-in map and nginx's compiled-in {@code default_type text/plain}. */
    public static final ContentTypes DEFAULT = new ContentTypes(MimeTypes.BUILT_IN, "text/plain");

    public ContentTypes {
        byExtension = Map.copyOf(byExtension);
    }

    /** The type for {@code uri}: its extension's, else the default type. */
    public String forUri(String uri) {
        String ext = extension(uri);
        if (ext != null) {
            String type = byExtension.get(lowerAscii(ext));
            if (type != null) {
                return type;
            }
        }
        return defaultType;
    }

    /**
     * nginx's extension of a URI: what follows the last dot of the last path segment, unless that
     * dot starts the segment ({@code /.profile} has none). The first two characters are never
     * looked at, as in nginx.
     */
    static String extension(String uri) {
        for (int i = uri.length() - 1; i > 1; i--) {
            char c = uri.charAt(i);
            if (c == '.' && uri.charAt(i - 1) != '/') {
                return uri.substring(i + 1);
            }
            if (c == '/') {
                return null;
            }
        }
        return null;
    }

    /** Lower-cases ASCII letters only: nginx's ngx_hash_strlow. */
    static String lowerAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                char[] chars = s.toCharArray();
                for (int j = i; j < chars.length; j++) {
                    if (chars[j] >= 'A' && chars[j] <= 'Z') {
                        chars[j] = (char) (chars[j] + 32);
                    }
                }
                return new String(chars);
            }
        }
        return s;
    }
}
