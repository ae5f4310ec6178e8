package io.tunnelgate.files;

import io.tunnelgate.http.Request;
import io.tunnelgate.script.ComplexValue;
import java.nio.charset.StandardCharsets;

/**
 * A level's {@code root} or {@code alias}: how a request's URI becomes a file path, as nginx's
 * {@code ngx_http_map_uri_to_path} does it. With {@code root} the whole URI is appended to the
 * root; with {@code alias} the location's prefix is replaced by the alias. A relative value is
 * taken from the prefix ({@code -p}); with variables that is decided per request.
 *
 * @param value the root or alias; a constant is already absolute
 * @param alias true for {@code alias}
 * @param location the location prefix the alias replaces (empty for root; null for an alias in
 *     a regex location, which is the whole path)
 * @param prefix the prefix directory, for values with variables that evaluate to relative paths
 */
record DocRoot(ComplexValue<Request> value, boolean alias, String location, String prefix) {

    /** The root or alias for this request, absolute. */
    String base(Request req) {
        String v = value.evaluate(req);
        return value.isConstant() || v.startsWith("/") ? v : join(prefix, v);
    }

    /**
     * The file path for {@code uri}, or null when an alias cannot apply because the URI no longer
     * starts with the location's prefix (rewritten inside the location).
     *
     * <p>The URI's characters are bytes (ISO-8859-1, as decoded from {@code %XX}); they are read as
     * UTF-8 here so that a name written in UTF-8 on disk is found.
     */
    String path(Request req, String uri) {
        if (!alias) {
            return base(req) + fileName(uri);
        }
        if (location == null) {
            return base(req);
        }
        if (!uri.startsWith(location)) {
            return null;
        }
        return base(req) + fileName(uri.substring(location.length()));
    }

    /** Joins a relative path to the prefix as nginx's ngx_get_full_name does. */
    static String join(String prefix, String relative) {
        return prefix.endsWith("/") ? prefix + relative : prefix + "/" + relative;
    }

    /** URI bytes (one char each) read as UTF-8, the file-name encoding of the machine. */
    static String fileName(String uriBytes) {
        for (int i = 0; i < uriBytes.length(); i++) {
            if (uriBytes.charAt(i) >= 0x80) {
                return new String(uriBytes.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
            }
        }
        return uriBytes;
    }
}
