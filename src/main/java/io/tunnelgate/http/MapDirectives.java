package io.tunnelgate.http;

import static io.tunnelgate.config.Context.HTTP;

import io.tunnelgate.config.Args;
import io.tunnelgate.config.Block;
import io.tunnelgate.config.ConfigException;
import io.tunnelgate.config.ConfigNode;
import io.tunnelgate.config.DirectiveRegistry;
import io.tunnelgate.config.DirectiveSpec;
import io.tunnelgate.config.LoadContext;
import io.tunnelgate.config.Setting;
import io.tunnelgate.script.ComplexValue;
import io.tunnelgate.script.MapKeys;
import io.tunnelgate.script.MapVariable;
import io.tunnelgate.script.VariableTable;
import java.util.EnumSet;

/**
 * nginx's {@code map $source $variable { ... }} (http level): reads the block's lines with the
 * map module's rules and messages, and makes {@code $variable} a variable computed by the
 * compiled {@link MapVariable} when read, cached for the request unless {@code volatile}. Also
 * {@code map_hash_max_size} and {@code map_hash_bucket_size}, accepted without effect.
 */
public final class MapDirectives {
    /**
     * nginx sizes the hash of map keys with these; Tunnelgate's table grows as needed, so they are
     * read (nginx's checks) and have no effect.
     */
    static final Setting<Integer> HASH_MAX_SIZE = Setting.of("map_hash_max_size", 2048);
    static final Setting<Integer> HASH_BUCKET_SIZE = Setting.of("map_hash_bucket_size", 64);

    private MapDirectives() {
    }

    public static void register(DirectiveRegistry r) {
        var http = EnumSet.of(HTTP);
        r.add(DirectiveSpec.rawBlock("map", http, 2, 2, MapDirectives::map))
                .add(DirectiveSpec.simple("map_hash_max_size", http, 1, 1,
                        (c, b, n) -> b.set(HASH_MAX_SIZE, Args.number(n, 0), n)))
                .add(DirectiveSpec.simple("map_hash_bucket_size", http, 1, 1,
                        (c, b, n) -> b.set(HASH_BUCKET_SIZE, Args.number(n, 0), n)));
    }

    private static void map(LoadContext ctx, Block block, ConfigNode node) throws ConfigException {
        ComplexValue<Request> source = HttpDirectives.compile(ctx, node, node.arg(0));
        String name = variableName(node, node.arg(1));
        VariableTable<Request> table = table(ctx);
        declare(table, node, name);
        MapVariable.Builder<Request> map = new MapVariable.Builder<>(source);
        for (ConfigNode line : node.block()) {
            line(ctx, map, line);
        }
        MapVariable<Request> compiled = map.build();
        table.defineComputed(name, compiled, !compiled.isVolatile());
    }

    /** One line of the block, as nginx's {@code ngx_http_map} reads it. */
    private static void line(LoadContext ctx, MapVariable.Builder<Request> map, ConfigNode line) throws ConfigException {
        rejectBlock(line);
        String key = line.name();
        if (line.argCount() == 0 && key.equals("hostnames")) {
            map.hostnames();
            return;
        }
        if (line.argCount() == 0 && key.equals("volatile")) {
            map.makeVolatile();
            return;
        }
        if (line.argCount() != 1) {
            throw Args.error(line, "invalid number of the map parameters");
        }
        ComplexValue<Request> value = HttpDirectives.compile(ctx, line, line.arg(0));
        if (key.equals("default")) {
            if (!map.defaultValue(value)) {
                throw Args.error(line, "duplicate default map parameter");
            }
            return;
        }
        if (key.startsWith("~")) {
            boolean caseless = key.startsWith("~*");
            map.regex(RewriteDirectives.regex(ctx, line, key.substring(caseless ? 2 : 1), caseless), value);
            return;
        }
        // a backslash lets a key start with "~" (or be "default", "hostnames"...)
        if (key.startsWith("\\")) {
            key = key.substring(1);
        }
        switch (map.key(key, value)) {
            case INVALID -> throw Args.error(line, "invalid hostname or wildcard \"" + key + "\"");
            case CONFLICT -> throw Args.error(line, "conflicting parameter \"" + MapKeys.lowerCase(key) + "\"");
            default -> {
            }
        }
    }

    /** A table line that opened a block: nginx's custom-handler parser refuses it. */
    static void rejectBlock(ConfigNode line) throws ConfigException {
        if (line.isBlock()) {
            throw Args.error(line, "unexpected \"{\"");
        }
    }

    /**
     * The name in {@code $name}.
     *
     * @throws ConfigException nginx's {@code invalid variable name "x"}
     */
    static String variableName(ConfigNode node, String arg) throws ConfigException {
        if (arg.length() < 2 || arg.charAt(0) != '$') {
            throw Args.error(node, "invalid variable name \"" + arg + "\"");
        }
        return arg.substring(1);
    }

    /** Declares the variable a map or geo defines, with nginx's error for a built-in. */
    static void declare(VariableTable<Request> table, ConfigNode node, String name) throws ConfigException {
        try {
            table.declareUser(name);
        } catch (IllegalArgumentException e) {
            throw Args.error(node, e.getMessage());
        }
    }

    static VariableTable<Request> table(LoadContext ctx) {
        return ctx.service(RequestVariables.class).table();
    }
}
