package io.tunnelgate.http;

import io.tunnelgate.config.SourcePos;

/**
 * One {@code location}: how it matches and what serves requests that reach it.
 *
 * @param handler the content handler ({@code return}, ...), or null: nginx then falls back to its
 *     static-file handler, for which Tunnelgate answers 404
 */
public record LocationConf(Match match, String pattern, ContentHandler handler, LevelConf level, SourcePos pos) {
    /** Location modifiers supported so far. */
    public enum Match {
        /** {@code location = /x}: the URI equals the pattern. */
        EXACT,
        /** {@code location /x}: the URI starts with the pattern; the longest wins. */
        PREFIX
    }
}
