package io.tunnelgate.http;

import static io.tunnelgate.config.Context.HTTP;

import io.tunnelgate.access.Cidr;
import io.tunnelgate.access.ForwardedFor;
import io.tunnelgate.access.GeoTable;
import io.tunnelgate.config.Args;
import io.tunnelgate.config.Block;
import io.tunnelgate.config.ConfigException;
import io.tunnelgate.config.ConfigNode;
import io.tunnelgate.config.DirectiveRegistry;
import io.tunnelgate.config.DirectiveSpec;
import io.tunnelgate.config.LoadContext;
import io.tunnelgate.script.Getter;
import io.tunnelgate.script.VariableTable;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;

/**
 * nginx's {@code geo [$address] $variable { ... }} (http level): reads the block's lines with the
 * geo module's rules, messages and warnings into a {@link GeoTable}, and makes {@code $variable} a
 * variable computed by a {@link GeoVariable} when read, cached for the request.
 */
public final class GeoDirectives {
    private GeoDirectives() {
    }

    public static void register(DirectiveRegistry r) {
        r.add(DirectiveSpec.rawBlock("geo", EnumSet.of(HTTP), 1, 2, GeoDirectives::geo));
    }

    /** What the lines other than networks and ranges set. */
    private static final class Proxies {
        final List<Cidr> networks = new ArrayList<>();
        boolean recursive;
    }

    private static void geo(LoadContext ctx, Block block, ConfigNode node) throws ConfigException {
        VariableTable<Request> table = MapDirectives.table(ctx);
        String name = MapDirectives.variableName(node, node.arg(0));
        Getter<Request> source = null;
        if (node.argCount() == 2) {
            source = table.require(name, node.pos());
            name = MapDirectives.variableName(node, node.arg(1));
        }
        MapDirectives.declare(table, node, name);
        GeoTable.Builder geo = new GeoTable.Builder();
        Proxies proxies = new Proxies();
        for (ConfigNode line : node.block()) {
            line(ctx, geo, proxies, line);
        }
        ForwardedFor xff = proxies.networks.isEmpty() ? null : new ForwardedFor(proxies.networks, proxies.recursive);
        table.defineComputed(name, new GeoVariable(geo.build(), source, xff), true);
    }

    /** One line of the block, as nginx's {@code ngx_http_geo} reads it. */
    private static void line(LoadContext ctx, GeoTable.Builder geo, Proxies proxies, ConfigNode line)
            throws ConfigException {
        MapDirectives.rejectBlock(line);
        String key = line.name();
        if (line.argCount() == 0 && key.equals("ranges")) {
            if (geo.hasNetworks()) {
                throw Args.error(line, "the \"ranges\" directive must be the first directive inside \"geo\" block");
            }
            geo.ranges();
            return;
        }
        if (line.argCount() == 0 && key.equals("proxy_recursive")) {
            proxies.recursive = true;
            return;
        }
        if (line.argCount() != 1) {
            throw Args.error(line, "invalid number of the geo parameters");
        }
        String value = line.arg(0);
        if (key.equals("proxy")) {
            proxies.networks.add(network(ctx, line, value));
        } else if (geo.isRanges()) {
            range(ctx, geo, line, key, value);
        } else if (key.equals("default")) {
            warn(ctx, line, geo.defaultValue(value));
        } else if (key.equals("delete")) {
            if (!geo.delete(network(ctx, line, value))) {
                ctx.warn("no network \"" + value + "\" to delete", line.pos());
            }
        } else {
            warn(ctx, line, geo.network(network(ctx, line, key), value, key));
        }
    }

    private static void range(LoadContext ctx, GeoTable.Builder geo, ConfigNode line, String key, String value)
            throws ConfigException {
        try {
            if (key.equals("default")) {
                warn(ctx, line, geo.defaultValue(value));
            } else if (key.equals("delete")) {
                if (!geo.deleteRange(value)) {
                    ctx.warn("no address range \"" + value + "\" to delete", line.pos());
                }
            } else {
                warn(ctx, line, geo.range(key, value));
            }
        } catch (IllegalArgumentException e) {
            throw Args.error(line, e.getMessage());
        }
    }

    /** nginx's {@code ngx_http_geo_cidr_value}: a network, with a warning when host bits are set. */
    private static Cidr network(LoadContext ctx, ConfigNode line, String text) throws ConfigException {
        Cidr.Parsed parsed = Cidr.parse(text);
        if (parsed == null) {
            throw Args.error(line, "invalid network \"" + text + "\"");
        }
        if (parsed.hostBitsSet()) {
            ctx.warn("low address bits of " + text + " are meaningless", line.pos());
        }
        return parsed.cidr();
    }

    private static void warn(LoadContext ctx, ConfigNode line, List<String> warnings) {
        for (String w : warnings) {
            ctx.warn(w, line.pos());
        }
    }
}
