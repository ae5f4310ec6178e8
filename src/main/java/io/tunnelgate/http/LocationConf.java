package io.tunnelgate.http;

import io.tunnelgate.config.SourcePos;
import io.tunnelgate.script.Op;
import io.tunnelgate.script.Regex;
import java.util.List;

/**
 * One {@code location}: how it matches, its rewrite program and access checks, what serves
 * requests that reach it, and the locations nested in it.
 *
 * @param pattern what the location matches: for {@link Match#EXACT} and the prefixes the URI
 *     text in the form {@link Request#uri()} has (one char per byte, so a UTF-8 name becomes
 *     its bytes), for regexes the expression as written, for {@link Match#NAMED} {@code @name}
 * @param regex the compiled expression of a regex location, else null
 * @param autoRedirect nginx's {@code auto_redirect}: a URI equal to this prefix without its
 *     trailing slash is answered with a 301 to it (set by content handlers that want it)
 * @param handler the content handler ({@code proxy_pass} ..., else nginx's static files)
 * @param nested the locations written inside this one (searched when this one matches)
 */
public record LocationConf(Match match, String pattern, Regex<Request> regex, boolean autoRedirect,
                           List<Op<Request>> rewrite, AccessConf access, ContentHandler handler,
                           LevelConf level, Locations nested, SourcePos pos) {
    public LocationConf {
        rewrite = List.copyOf(rewrite);
    }

    /** nginx's location modifiers. */
    public enum Match {
        /** {@code location = /x}: the URI equals the pattern. */
        EXACT,
        /** {@code location /x}: the URI starts with the pattern; the longest wins. */
        PREFIX,
        /** {@code location ^~ /x}: a prefix that, when it is the longest, skips the regexes. */
        PREFIX_NO_REGEX,
        /** {@code location ~ re}: the first matching regex in config order, case-sensitive. */
        REGEX,
        /** {@code location ~* re}: as {@link #REGEX}, ignoring ASCII case. */
        REGEX_CASELESS,
        /** {@code location @name}: never matched by URI, reached by {@code error_page ... @name}. */
        NAMED;

        /** Whether the location takes part in the prefix search ({@code =}, none, {@code ^~}). */
        public boolean isStatic() {
            return this == EXACT || this == PREFIX || this == PREFIX_NO_REGEX;
        }

        /** Whether the location is a regex ({@code ~}, {@code ~*}). */
        public boolean isRegex() {
            return this == REGEX || this == REGEX_CASELESS;
        }
    }
}
