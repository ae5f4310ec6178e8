package io.tunnelgate.files;

import static io.tunnelgate.config.Context.HTTP;
import static io.tunnelgate.config.Context.LOCATION;
import static io.tunnelgate.config.Context.SERVER;
import static io.tunnelgate.config.DirectiveSpec.UNLIMITED;

import io.tunnelgate.config.Args;
import io.tunnelgate.config.Block;
import io.tunnelgate.config.ConfigException;
import io.tunnelgate.config.ConfigNode;
import io.tunnelgate.config.DirectiveRegistry;
import io.tunnelgate.config.DirectiveSpec;
import io.tunnelgate.config.LoadContext;
import io.tunnelgate.config.Setting;
import io.tunnelgate.http.ContentHandler;
import io.tunnelgate.http.HttpDirectives;
import io.tunnelgate.http.LocationConf;
import io.tunnelgate.http.LocationSpec;
import io.tunnelgate.http.Request;
import io.tunnelgate.script.ComplexValue;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The directives of nginx's static and index modules and the core's path directives:
 * {@code root}, {@code alias}, {@code index} and {@code log_not_found}, and the handler they
 * configure (see {@link StaticHandler}).
 */
public final class FileDirectives {
    /** {@code root} and {@code alias} share one slot, so giving both at one level is an error. */
    static final Setting<DocRoot> ROOT = Setting.of("root", null);
    /** Index names in order; a level with {@code index} replaces the inherited list. */
    static final Setting<List<ComplexValue<Request>>> INDEX = Setting.of("index", null);
    static final Setting<Boolean> LOG_NOT_FOUND = Setting.of("log_not_found", true);

    private static final String DEFAULT_INDEX = "index.html";

    private FileDirectives() {
    }

    public static void register(DirectiveRegistry r) {
        Set<io.tunnelgate.config.Context> hsl = EnumSet.of(HTTP, SERVER, LOCATION);
        r.add(DirectiveSpec.simple("root", hsl, 1, 1, (c, b, n) -> root(c, b, n, false)))
                .add(DirectiveSpec.simple("alias", Set.of(LOCATION), 1, 1, (c, b, n) -> root(c, b, n, true)))
                .add(DirectiveSpec.simple("index", hsl, 1, UNLIMITED, FileDirectives::index))
                .add(DirectiveSpec.simple("log_not_found", hsl, 1, 1, (c, b, n) ->
                        b.set(LOG_NOT_FOUND, Args.flag(n, 0), n)));
    }

    /**
     * The static-file handler of a level, from its merged settings; {@code root} defaults to
     * {@code html} under the prefix and {@code index} to {@code index.html}, as in nginx.
     */
    public static ContentHandler handler(Block level, LoadContext ctx) {
        DocRoot root = level.get(ROOT);
        if (root == null) {
            root = new DocRoot(ComplexValue.constant(DocRoot.join(prefix(ctx), "html")), false, "", prefix(ctx));
        }
        List<ComplexValue<Request>> index = level.get(INDEX);
        if (index == null) {
            index = List.of(ComplexValue.constant(DEFAULT_INDEX));
        }
        return new StaticHandler(root, index, level.get(LOG_NOT_FOUND));
    }

    private static void root(LoadContext ctx, Block block, ConfigNode node, boolean alias) throws ConfigException {
        DocRoot set = block.local(ROOT);
        if (set != null) {
            if (set.alias() == alias) {
                throw Args.error(node, "\"" + node.name() + "\" directive is duplicate");
            }
            throw Args.error(node, "\"" + node.name() + "\" directive is duplicate, \""
                    + (set.alias() ? "alias" : "root") + "\" directive was specified earlier");
        }
        LocationSpec spec = LocationSpec.of(block);
        if (alias && spec.match() == LocationConf.Match.NAMED) {
            throw Args.error(node, "the \"alias\" directive cannot be used inside the named location");
        }
        String text = node.arg(0);
        for (String forbidden : List.of("document_root", "realpath_root")) {
            if (text.contains("$" + forbidden) || text.contains("${" + forbidden + "}")) {
                throw Args.error(node, "the $" + forbidden + " variable cannot be used in the \""
                        + node.name() + "\" directive");
            }
        }
        boolean absolute = text.startsWith("/");
        if (!alias && text.endsWith("/")) {
            text = text.substring(0, text.length() - 1);
        }
        ComplexValue<Request> value = HttpDirectives.compile(ctx, node, text);
        if (value.isConstant() && !absolute) {
            value = ComplexValue.constant(DocRoot.join(prefix(ctx), text));
        }
        // in a regex location nginx's alias is the whole path (it has the captures it needs)
        String location = !alias ? "" : spec.match().isRegex() ? null : spec.uriForm();
        block.set(ROOT, new DocRoot(value, alias, location, prefix(ctx)), node);
    }

    /** {@code index file ...}: several at one level add up, as in nginx. */
    private static void index(LoadContext ctx, Block block, ConfigNode node) throws ConfigException {
        for (int i = 0; i < node.argCount(); i++) {
            String name = node.arg(i);
            if (name.isEmpty()) {
                // nginx names the first argument here, whichever was empty
                throw Args.error(node, "index \"" + node.arg(0) + "\" in \"index\" directive is invalid");
            }
            if (name.startsWith("/") && i != node.argCount() - 1) {
                ctx.warn("only the last index in \"index\" directive should be absolute", node.pos());
            }
            block.append(INDEX, HttpDirectives.compile(ctx, node, name));
        }
    }

    private static String prefix(LoadContext ctx) {
        return ctx.prefix().toString();
    }
}
