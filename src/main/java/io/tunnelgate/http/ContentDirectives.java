package io.tunnelgate.http;

import static io.tunnelgate.config.Context.HTTP;
import static io.tunnelgate.config.Context.LOCATION;
import static io.tunnelgate.config.Context.SERVER;
import static io.tunnelgate.config.DirectiveSpec.UNLIMITED;

import io.tunnelgate.config.Args;
import io.tunnelgate.config.Block;
import io.tunnelgate.config.ConfigException;
import io.tunnelgate.config.ConfigNode;
import io.tunnelgate.config.Context;
import io.tunnelgate.config.DirectiveRegistry;
import io.tunnelgate.config.DirectiveSpec;
import io.tunnelgate.config.LoadContext;
import io.tunnelgate.config.Setting;
import io.tunnelgate.config.Values;
import io.tunnelgate.script.ComplexValue;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The directives of nginx's http core that shape responses: {@code types}, {@code default_type},
 * {@code error_page} and {@code recursive_error_pages} (and the two {@code types_hash_*} sizes,
 * accepted because nginx.conf files set them; Tunnelgate's map needs no sizing).
 */
public final class ContentDirectives {
    /** A level's {@code types} entries; null everywhere means the built-in map. */
    static final Setting<Map<String, String>> TYPES = Setting.of("types", null);
    static final Setting<String> DEFAULT_TYPE = Setting.of("default_type", "text/plain");
    /** A level with any error_page replaces the inherited ones, as in nginx. */
    static final Setting<List<ErrorPage>> ERROR_PAGES = Setting.of("error_page", List.of());
    static final Setting<Boolean> RECURSIVE_ERROR_PAGES = Setting.of("recursive_error_pages", false);

    private static final Set<Context> HSL = EnumSet.of(HTTP, SERVER, LOCATION);

    private ContentDirectives() {
    }

    public static void register(DirectiveRegistry r) {
        r.add(DirectiveSpec.rawBlock("types", HSL, 0, 0, ContentDirectives::types))
                .add(DirectiveSpec.simple("default_type", HSL, 1, 1, (c, b, n) ->
                        b.set(DEFAULT_TYPE, n.arg(0), n)))
                .add(DirectiveSpec.simple("error_page", HSL, 2, UNLIMITED, ContentDirectives::errorPage))
                .add(DirectiveSpec.simple("recursive_error_pages", HSL, 1, 1, (c, b, n) ->
                        b.set(RECURSIVE_ERROR_PAGES, Args.flag(n, 0), n)))
                .add(DirectiveSpec.simple("types_hash_max_size", HSL, 1, 1, (c, b, n) -> Args.number(n, 0)))
                .add(DirectiveSpec.simple("types_hash_bucket_size", HSL, 1, 1, (c, b, n) -> Args.number(n, 0)));
    }

    /** The merged types and default_type of a level. */
    static ContentTypes types(Block b) {
        Map<String, String> map = b.get(TYPES);
        return new ContentTypes(map == null ? MimeTypes.BUILT_IN : map, b.get(DEFAULT_TYPE));
    }

    /**
     * {@code types { type ext ...; }}: extensions are lower-cased; an extension given again takes
     * the later type with nginx's warning. Several blocks at one level add up, as in nginx.
     */
    private static void types(LoadContext ctx, Block block, ConfigNode node) throws ConfigException {
        Map<String, String> map = block.local(TYPES);
        if (map == null) {
            map = new LinkedHashMap<>();
            block.put(TYPES, map);
        }
        for (ConfigNode entry : node.block()) {
            if (entry.isBlock()) {
                throw Args.error(entry, "unexpected \"{\"");
            }
            String type = entry.name();
            for (int i = 0; i < entry.argCount(); i++) {
                String ext = ContentTypes.lowerAscii(entry.arg(i));
                String old = map.put(ext, type);
                if (old != null) {
                    ctx.warn("duplicate extension \"" + ext + "\", content type: \"" + type
                            + "\", previous content type: \"" + old + "\"", entry.pos());
                }
            }
        }
    }

    /**
     * {@code error_page code ... [=[response]] uri}; {@code uri} may be {@code @name}, which, as
     * in nginx, need not exist when the config loads (a missing one is a 500 when used).
     */
    private static void errorPage(LoadContext ctx, Block block, ConfigNode node) throws ConfigException {
        int last = node.argCount() - 1;
        int overwrite = -1;
        int codes = last;
        String eq = node.arg(last - 1);
        if (eq.startsWith("=")) {
            if (last - 1 == 0) {
                throw Args.error(node, "invalid value \"" + eq + "\"");
            }
            overwrite = eq.length() == 1 ? 0 : Values.parseInt(eq.substring(1));
            if (overwrite < 0) {
                throw Args.error(node, "invalid value \"" + eq + "\"");
            }
            codes = last - 1;
        }
        String text = node.arg(last);
        ComplexValue<Request> uri = HttpDirectives.compile(ctx, node, text);
        String args = null;
        if (uri.isConstant() && text.startsWith("/")) {
            int q = text.indexOf('?');
            args = q < 0 ? "" : text.substring(q + 1);
            uri = ComplexValue.constant(q < 0 ? text : text.substring(0, q));
        }
        List<ErrorPage> pages = new ArrayList<>();
        for (int i = 0; i < codes; i++) {
            int status = status(node, i);
            // nginx answers its internal 494 as 400 when the page keeps the status
            int own = overwrite == -1 && status == StatusText.REQUEST_HEADER_TOO_LARGE ? 400 : overwrite;
            pages.add(new ErrorPage(status, own, uri, args));
        }
        for (ErrorPage p : pages) {
            block.append(ERROR_PAGES, p);
        }
    }

    private static int status(ConfigNode node, int i) throws ConfigException {
        String v = node.arg(i);
        int status = Values.parseInt(v);
        if (status < 0 || status == StatusText.CLIENT_CLOSED) {
            throw Args.error(node, "invalid value \"" + v + "\"");
        }
        if (status < 300 || status > 599) {
            throw Args.error(node, "value \"" + v + "\" must be between 300 and 599");
        }
        return status;
    }
}
