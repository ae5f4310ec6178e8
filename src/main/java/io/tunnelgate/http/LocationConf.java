package io.tunnelgate.http;

import io.tunnelgate.access.AccessRule;
import io.tunnelgate.config.SourcePos;
import io.tunnelgate.script.Op;
import java.util.List;

/**
 * One {@code location}: how it matches, its rewrite program and access rules, and what serves
 * requests that reach it.
 *
 * @param handler the content handler ({@code proxy_pass} ..., else nginx's static files)
 */
public record LocationConf(Match match, String pattern, List<Op<Request>> rewrite, List<AccessRule> access,
                           ContentHandler handler, LevelConf level, SourcePos pos) {
    public LocationConf {
        rewrite = List.copyOf(rewrite);
        access = List.copyOf(access);
    }

    /** Location modifiers supported so far. */
    public enum Match {
        /** {@code location = /x}: the URI equals the pattern. */
        EXACT,
        /** {@code location /x}: the URI starts with the pattern; the longest wins. */
        PREFIX
    }
}
