package io.tunnelgate.http;

import static io.tunnelgate.config.Context.LOCATION;

import io.tunnelgate.config.Args;
import io.tunnelgate.config.Block;
import io.tunnelgate.config.ConfigException;
import io.tunnelgate.config.ConfigNode;
import io.tunnelgate.config.LoadContext;
import io.tunnelgate.http.LocationConf.Match;
import io.tunnelgate.script.Regex;

/**
 * The {@code location} directive as nginx's {@code ngx_http_core_location} reads it:
 * {@code location [ = | ^~ | ~ | ~* ] uri}, the same modifiers glued to the URI
 * ({@code location =/x}, {@code location ~*\.png$}), and {@code location @name}. Regexes are
 * compiled here, once (their named groups become variables). A nested location may not be inside
 * an exact or a named location, may not itself be named, and unless it is a regex must start with
 * its parent's name, with nginx's messages. Duplicates are found when the search tree is built
 * ({@link Locations}), after the whole config is read, as in nginx.
 */
final class LocationDirective {
    private LocationDirective() {
    }

    static void open(LoadContext ctx, Block block, ConfigNode node) throws ConfigException {
        LocationSpec spec = node.argCount() == 2
                ? withModifier(ctx, node, node.arg(0), node.arg(1))
                : glued(ctx, node, node.arg(0));
        if (block.context() == LOCATION) {
            checkNesting(node, LocationSpec.of(block), spec);
        }
        block.openChild(LOCATION, node).put(LocationSpec.SETTING, spec);
    }

    private static LocationSpec withModifier(LoadContext ctx, ConfigNode node, String modifier, String name)
            throws ConfigException {
        return switch (modifier) {
            case "=" -> new LocationSpec(Match.EXACT, name, null);
            case "^~" -> new LocationSpec(Match.PREFIX_NO_REGEX, name, null);
            case "~" -> regex(ctx, node, name, false);
            case "~*" -> regex(ctx, node, name, true);
            default -> throw Args.error(node, "invalid location modifier \"" + modifier + "\"");
        };
    }

    /** One argument: nginx looks at its first characters for a modifier written without a space. */
    private static LocationSpec glued(LoadContext ctx, ConfigNode node, String arg) throws ConfigException {
        if (arg.startsWith("=")) {
            return new LocationSpec(Match.EXACT, arg.substring(1), null);
        }
        if (arg.startsWith("^~")) {
            return new LocationSpec(Match.PREFIX_NO_REGEX, arg.substring(2), null);
        }
        if (arg.startsWith("~*")) {
            return regex(ctx, node, arg.substring(2), true);
        }
        if (arg.startsWith("~")) {
            return regex(ctx, node, arg.substring(1), false);
        }
        return new LocationSpec(arg.startsWith("@") ? Match.NAMED : Match.PREFIX, arg, null);
    }

    /**
     * Compiles a location's expression. It is matched against the URI's bytes, as PCRE without
     * UTF mode matches them in nginx, so a non-ASCII literal is compiled as its UTF-8 bytes.
     */
    private static LocationSpec regex(LoadContext ctx, ConfigNode node, String text, boolean caseless)
            throws ConfigException {
        try {
            Regex<Request> regex = Regex.compile(LocationSpec.uriForm(text), caseless,
                    ctx.service(RequestVariables.class).table());
            return new LocationSpec(caseless ? Match.REGEX_CASELESS : Match.REGEX, text, regex);
        } catch (IllegalArgumentException e) {
            throw Args.error(node, LocationSpec.written(e.getMessage()));
        }
    }

    private static void checkNesting(ConfigNode node, LocationSpec parent, LocationSpec child) throws ConfigException {
        if (parent.match() == Match.EXACT) {
            throw Args.error(node, "location \"" + child.name() + "\" cannot be inside the exact location \""
                    + parent.name() + "\"");
        }
        if (parent.match() == Match.NAMED) {
            throw Args.error(node, "location \"" + child.name() + "\" cannot be inside the named location \""
                    + parent.name() + "\"");
        }
        if (child.match() == Match.NAMED) {
            throw Args.error(node, "named location \"" + child.name() + "\" can be on the server level only");
        }
        // as nginx: compared with the parent's name as written, even when the parent is a regex
        if (!child.match().isRegex() && !child.name().startsWith(parent.name())) {
            throw Args.error(node, "location \"" + child.name() + "\" is outside location \"" + parent.name() + "\"");
        }
    }
}
