package io.tunnelgate.forward;

import static io.tunnelgate.config.Context.HTTP;
import static io.tunnelgate.config.Context.LOCATION;
import static io.tunnelgate.config.Context.SERVER;

import io.tunnelgate.config.Args;
import io.tunnelgate.config.Block;
import io.tunnelgate.config.ConfigException;
import io.tunnelgate.config.ConfigNode;
import io.tunnelgate.config.DirectiveRegistry;
import io.tunnelgate.config.DirectiveSpec;
import io.tunnelgate.config.LoadContext;
import io.tunnelgate.http.HttpSettings;
import java.util.EnumSet;
import java.util.Set;

/**
 * The syntax of nginx's {@code proxy_pass} and {@code proxy_set_header}, so that configs pairing
 * CONNECT with plain-HTTP forwarding (the module README's {@code location / { proxy_pass
 * http://$host; }}) load and their CONNECT side works. Forwarding itself is not built yet: such a
 * location answers 501 and says so in the error log (see {@link NotForwarding}).
 */
public final class ForwardDirectives {
    private ForwardDirectives() {
    }

    public static void register(DirectiveRegistry r) {
        Set<io.tunnelgate.config.Context> hsl = EnumSet.of(HTTP, SERVER, LOCATION);
        r.add(DirectiveSpec.simple("proxy_pass", Set.of(LOCATION), 1, 1, ForwardDirectives::proxyPass))
                .add(DirectiveSpec.simple("proxy_set_header", hsl, 2, 2, (c, b, n) -> { }));
        registerTempPaths(r, hsl);
    }

    /**
     * Where nginx spools request and proxied response bodies that do not fit in memory. Tunnelgate
     * never writes them to disk, so the paths are accepted (nginx's own test harness puts both in
     * every http block it generates) and ignored.
     */
    private static void registerTempPaths(DirectiveRegistry r, Set<io.tunnelgate.config.Context> contexts) {
        r.add(DirectiveSpec.simple("client_body_temp_path", contexts, 1, 4, (c, b, n) -> { }))
                .add(DirectiveSpec.simple("proxy_temp_path", contexts, 1, 4, (c, b, n) -> { }));
    }

    private static void proxyPass(LoadContext ctx, Block block, ConfigNode node) throws ConfigException {
        String url = node.arg(0);
        String lower = url.toLowerCase(java.util.Locale.ROOT);
        if (!lower.startsWith("http://") && !lower.startsWith("https://") && !url.startsWith("$")) {
            throw Args.error(node, "invalid URL prefix in \"" + url + "\"");
        }
        if (block.isSetHere(HttpSettings.LOCATION_HANDLER)) {
            throw Args.error(node, "\"proxy_pass\" directive is duplicate");
        }
        block.set(HttpSettings.LOCATION_HANDLER, new NotForwarding(url), node);
    }
}
