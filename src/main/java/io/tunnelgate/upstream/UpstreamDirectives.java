package io.tunnelgate.upstream;

import static io.tunnelgate.config.Context.HTTP;
import static io.tunnelgate.config.Context.UPSTREAM;

import io.tunnelgate.config.Args;
import io.tunnelgate.config.Block;
import io.tunnelgate.config.ConfigException;
import io.tunnelgate.config.ConfigNode;
import io.tunnelgate.config.DirectiveRegistry;
import io.tunnelgate.config.DirectiveSpec;
import io.tunnelgate.config.LoadContext;
import io.tunnelgate.config.Values;
import java.util.List;
import java.util.Set;

/**
 * The rows of ngx_http_upstream_module, ngx_http_upstream_keepalive_module and
 * ngx_http_upstream_zone_module: {@code upstream { }} with {@code server}, {@code keepalive*} and
 * {@code zone}; the other balancing methods are refused with a clear reason.
 */
public final class UpstreamDirectives {
    /** nginx's balancing methods (and nginx Plus' ntlm and sticky) that Tunnelgate does not have. */
    private static final List<String> METHODS = List.of("least_conn", "ip_hash", "hash", "random", "ntlm", "sticky");
    /** nginx's minimum zone size: 8 pages of 4 KiB. */
    private static final long MIN_ZONE = 8 * 4096;

    private UpstreamDirectives() {
    }

    public static void register(DirectiveRegistry r) {
        Set<io.tunnelgate.config.Context> ups = Set.of(UPSTREAM);
        r.add(DirectiveSpec.block("upstream", Set.of(HTTP), 1, 1, UpstreamDirectives::upstream))
                .add(DirectiveSpec.simple("server", ups, 1, DirectiveSpec.UNLIMITED, ServerLine::apply))
                .add(DirectiveSpec.simple("keepalive", ups, 1, 1, UpstreamDirectives::keepalive))
                .add(DirectiveSpec.simple("keepalive_timeout", ups, 1, 1,
                        (c, b, n) -> group(c, b, n).timeoutMs = Args.millis(n, 0)))
                .add(DirectiveSpec.simple("keepalive_requests", ups, 1, 1,
                        (c, b, n) -> group(c, b, n).requests = Args.number(n, 0)))
                .add(DirectiveSpec.simple("keepalive_time", ups, 1, 1,
                        (c, b, n) -> group(c, b, n).timeMs = Args.millis(n, 0)))
                .add(DirectiveSpec.simple("zone", ups, 1, 2, UpstreamDirectives::zone));
        for (String method : METHODS) {
            r.add(DirectiveSpec.simple(method, ups, 0, DirectiveSpec.UNLIMITED, (c, b, n) -> {
                throw Args.error(n, "\"" + n.name() + "\" is not supported: Tunnelgate balances upstream "
                        + "servers with round-robin only");
            }));
        }
    }

    private static void upstream(LoadContext ctx, Block block, ConfigNode node) throws ConfigException {
        Block child = block.openChild(UPSTREAM, node);
        UpstreamGroups.of(ctx).open(child, node);
    }

    /** The block's group, after checking that this directive appears once in it. */
    private static GroupBuilder group(LoadContext ctx, Block block, ConfigNode node) throws ConfigException {
        GroupBuilder g = UpstreamGroups.of(ctx).builder(block);
        g.once(node);
        return g;
    }

    private static void keepalive(LoadContext ctx, Block block, ConfigNode node) throws ConfigException {
        GroupBuilder g = group(ctx, block, node);
        int n = Values.parseInt(node.arg(0));
        if (n <= 0) {
            throw Args.invalidValue(node, node.arg(0));
        }
        g.connections = n;
    }

    /**
     * Accepted so nginx configs load, and otherwise ignored: the balancing state it would share
     * between nginx's workers lives per event loop here. The size is still checked as nginx does.
     */
    private static void zone(LoadContext ctx, Block block, ConfigNode node) throws ConfigException {
        group(ctx, block, node);
        if (node.argCount() == 2) {
            long size = Values.parseSize(node.arg(1));
            if (size < 0) {
                throw Args.error(node, "invalid zone size \"" + node.arg(1) + "\"");
            }
            if (size < MIN_ZONE) {
                throw Args.error(node, "zone \"" + node.arg(0) + "\" is too small");
            }
        }
    }
}
