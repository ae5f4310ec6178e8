package io.tunnelgate.http;

import static io.tunnelgate.config.Context.HTTP;
import static io.tunnelgate.config.Context.LOCATION;
import static io.tunnelgate.config.Context.MAIN;
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
import io.tunnelgate.config.Values;
import io.tunnelgate.resolve.ResolverSpec;
import io.tunnelgate.script.ComplexValue;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The directives of nginx's http core that Tunnelgate understands: the {@code http},
 * {@code server} and {@code location} blocks, listening, naming, {@code return}, client limits,
 * tokens and the resolver. Logging directives are in {@link LogDirectives}.
 */
public final class HttpDirectives {
    private static final Set<Context> HSL = EnumSet.of(HTTP, SERVER, LOCATION);
    private static final Set<Context> HS = EnumSet.of(HTTP, SERVER);

    private HttpDirectives() {
    }

    public static void register(DirectiveRegistry r) {
        r.add(DirectiveSpec.block("http", Set.of(MAIN), 0, 0, HttpDirectives::http))
                .add(DirectiveSpec.block("server", Set.of(HTTP), 0, 0, (c, b, n) -> b.openChild(SERVER, n)))
                .add(DirectiveSpec.block("location", Set.of(SERVER, LOCATION), 1, 2, LocationDirective::open))
                .add(DirectiveSpec.simple("listen", Set.of(SERVER), 1, UNLIMITED, HttpDirectives::listen))
                .add(DirectiveSpec.simple("server_name", Set.of(SERVER), 1, UNLIMITED, HttpDirectives::serverName))
                .add(DirectiveSpec.simple("keepalive_timeout", HSL, 1, 2, (c, b, n) ->
                        b.set(HttpSettings.KEEPALIVE_TIMEOUT, Args.millis(n, 0), n)))
                .add(DirectiveSpec.simple("keepalive_requests", HSL, 1, 1, (c, b, n) ->
                        b.set(HttpSettings.KEEPALIVE_REQUESTS, Args.number(n, 0), n)))
                .add(DirectiveSpec.simple("keepalive_time", HSL, 1, 1, (c, b, n) ->
                        b.set(HttpSettings.KEEPALIVE_TIME, Args.millis(n, 0), n)))
                .add(DirectiveSpec.simple("client_max_body_size", HSL, 1, 1, (c, b, n) ->
                        b.set(HttpSettings.CLIENT_MAX_BODY_SIZE, offset(n, 0), n)))
                .add(DirectiveSpec.simple("client_header_timeout", HS, 1, 1, (c, b, n) ->
                        b.set(HttpSettings.CLIENT_HEADER_TIMEOUT, Args.millis(n, 0), n)))
                .add(DirectiveSpec.simple("client_header_buffer_size", HS, 1, 1, (c, b, n) ->
                        b.set(HttpSettings.CLIENT_HEADER_BUFFER, positiveSize(n, 0), n)))
                .add(DirectiveSpec.simple("large_client_header_buffers", HS, 2, 2, HttpDirectives::largeBuffers))
                .add(DirectiveSpec.simple("server_tokens", HSL, 1, 1, HttpDirectives::serverTokens))
                .add(DirectiveSpec.simple("resolver", HSL, 1, UNLIMITED, HttpDirectives::resolver))
                .add(DirectiveSpec.simple("resolver_timeout", HSL, 1, 1, (c, b, n) ->
                        b.set(HttpSettings.RESOLVER_TIMEOUT, Args.millis(n, 0), n)))
                .add(DirectiveSpec.simple("satisfy", HSL, 1, 1, HttpDirectives::satisfy));
    }

    /** {@code satisfy all | any}: how allow/deny and authentication combine (see {@link AccessPhase}). */
    private static void satisfy(LoadContext ctx, Block block, ConfigNode node) throws ConfigException {
        String v = node.arg(0);
        if (!v.equals("all") && !v.equals("any")) {
            // nginx's enum slot
            throw Args.error(node, "invalid value \"" + v + "\"");
        }
        block.set(HttpSettings.SATISFY_ANY, v.equals("any"), node);
    }

    private static void http(LoadContext ctx, Block block, ConfigNode node) throws ConfigException {
        if (!block.children(HTTP).isEmpty()) {
            throw Args.error(node, "\"http\" directive is duplicate");
        }
        block.openChild(HTTP, node);
    }

    private static void listen(LoadContext ctx, Block block, ConfigNode node) throws ConfigException {
        for (ListenSpec spec : ListenParser.parse(node)) {
            for (ListenSpec other : block.get(HttpSettings.LISTENS)) {
                if (other.address().equals(spec.address())) {
                    throw Args.error(node, "a duplicate listen " + spec.text());
                }
            }
            block.append(HttpSettings.LISTENS, spec);
        }
    }

    private static void serverName(LoadContext ctx, Block block, ConfigNode node) throws ConfigException {
        for (int i = 0; i < node.argCount(); i++) {
            String name = node.arg(i);
            if (name.equals("$hostname")) {
                name = HttpVariables.hostname();
            }
            if (name.startsWith("~")) {
                try {
                    Pattern.compile(name.substring(1));
                } catch (PatternSyntaxException e) {
                    throw Args.error(node, "invalid regex \"" + name.substring(1) + "\": " + e.getDescription());
                }
            } else {
                if (name.indexOf('*') >= 0 && !(name.startsWith("*.") || name.endsWith(".*"))
                        || name.indexOf('*') != name.lastIndexOf('*')) {
                    throw Args.error(node, "invalid server name or wildcard \"" + name + "\"");
                }
                name = name.toLowerCase(java.util.Locale.ROOT);
            }
            block.append(HttpSettings.SERVER_NAMES, name);
        }
    }

    private static void largeBuffers(LoadContext ctx, Block block, ConfigNode node) throws ConfigException {
        int count = Values.parseInt(node.arg(0));
        if (count <= 0) {
            throw Args.error(node, "invalid value \"" + node.arg(0) + "\"");
        }
        int size = positiveSize(node, 1);
        block.set(HttpSettings.LARGE_HEADER_BUFFERS, new int[] {count, size}, node);
    }

    private static void serverTokens(LoadContext ctx, Block block, ConfigNode node) throws ConfigException {
        String v = node.arg(0);
        if (v.equals("build")) {
            // nginx's "build" adds a build name; Tunnelgate has none, so it means "on"
            v = "on";
        }
        if (!v.equals("on") && !v.equals("off")) {
            throw Args.invalidValue(node, v);
        }
        block.set(HttpSettings.SERVER_TOKENS, v.equals("on"), node);
    }

    private static void resolver(LoadContext ctx, Block block, ConfigNode node) throws ConfigException {
        try {
            // resolver_timeout may come later in the block: the model applies the merged value
            ResolverSpec spec = ResolverSpec.parse(node.args().stream().map(a -> a.value()).toList(),
                    Duration.ofMillis(HttpSettings.RESOLVER_TIMEOUT.defaultValue()));
            block.set(HttpSettings.RESOLVER, spec, node);
        } catch (IllegalArgumentException e) {
            throw Args.error(node, e.getMessage());
        }
    }

    /** nginx's off slot: a size that may also use {@code g}, up to the largest file offset. */
    private static long offset(ConfigNode node, int i) throws ConfigException {
        long v = Values.parseOffset(node.arg(i));
        if (v < 0) {
            throw Args.invalidSlotValue(node);
        }
        return v;
    }

    private static int positiveSize(ConfigNode node, int i) throws ConfigException {
        int v = Args.size(node, i);
        if (v <= 0) {
            throw Args.invalidSlotValue(node);
        }
        return v;
    }

    /** Compiles a complex value against the request variables, with the error at this directive. */
    public static ComplexValue<Request> compile(LoadContext ctx, ConfigNode node, String text) throws ConfigException {
        try {
            return ComplexValue.compile(text, ctx.service(RequestVariables.class).table(), node.pos());
        } catch (IllegalArgumentException e) {
            throw Args.error(node, e.getMessage());
        }
    }
}
