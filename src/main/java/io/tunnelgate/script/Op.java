package io.tunnelgate.script;

import java.util.List;

/**
 * One compiled directive of nginx's rewrite module, as it runs in the rewrite phases of a server
 * or location: {@code set}, {@code if}, {@code return}, {@code break} and {@code rewrite}.
 *
 * @param <C> the request type
 */
public sealed interface Op<C extends ScriptContext> {
    /** {@code set $var value}. */
    record Set<C extends ScriptContext>(Setter<C> setter, ComplexValue<C> value) implements Op<C> {
    }

    /** {@code if (condition) { ... }}. */
    record If<C extends ScriptContext>(Condition<C> condition, List<Op<C>> body) implements Op<C> {
        public If {
            body = List.copyOf(body);
        }
    }

    /**
     * {@code return code [text|URL]} and {@code return URL}.
     *
     * @param text the text or URL, or null
     */
    record Return<C extends ScriptContext>(int code, ComplexValue<C> text) implements Op<C> {
    }

    /** {@code break}. */
    record Break<C extends ScriptContext>() implements Op<C> {
    }

    /**
     * {@code rewrite regex replacement [flag]}.
     *
     * @param replacement the replacement without the trailing {@code ?} that drops the old arguments
     * @param keepArgs false when the replacement ended with {@code ?}: the request's arguments are
     *     dropped rather than kept (appended to new ones)
     * @param redirect 0, or 302/301 when the flag (or an absolute replacement) makes it a redirect
     */
    record Rewrite<C extends ScriptContext>(Regex<C> regex, ComplexValue<C> replacement, boolean keepArgs,
                                            RewriteFlag flag, int redirect) implements Op<C> {
    }

    /** The last argument of {@code rewrite}. */
    enum RewriteFlag {
        /** No flag: go on with the next directive; the location is searched again afterwards. */
        NONE,
        /** {@code last}: stop, and search the location again with the new URI. */
        LAST,
        /** {@code break}: stop, and stay in this location with the new URI. */
        BREAK,
        /** {@code redirect} (302) or {@code permanent} (301), or an absolute replacement. */
        REDIRECT
    }
}
