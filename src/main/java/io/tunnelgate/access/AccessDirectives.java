package io.tunnelgate.access;

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
import io.tunnelgate.config.Setting;
import java.util.EnumSet;
import java.util.List;

/**
 * nginx's access module: {@code allow} and {@code deny} with an address, a network,
 * {@code all} or {@code unix:}, at http, server and location level. Rules are checked in order
 * and the first that matches decides; a level that has rules replaces the ones it would inherit.
 */
public final class AccessDirectives {
    /** The rules of a level, in config order (unset: inherited; empty never happens). */
    public static final Setting<List<AccessRule>> RULES = Setting.of("allow/deny", List.of());

    private AccessDirectives() {
    }

    public static void register(DirectiveRegistry r) {
        var contexts = EnumSet.of(HTTP, SERVER, LOCATION);
        r.add(DirectiveSpec.simple("allow", contexts, 1, 1, (c, b, n) -> rule(c, b, n, true)))
                .add(DirectiveSpec.simple("deny", contexts, 1, 1, (c, b, n) -> rule(c, b, n, false)));
    }

    private static void rule(LoadContext ctx, Block block, ConfigNode node, boolean allow) throws ConfigException {
        String v = node.arg(0);
        AccessRule rule;
        if (v.equals("all")) {
            rule = new AccessRule(allow, null, false, v);
        } else if (v.equals("unix:")) {
            rule = new AccessRule(allow, null, true, v);
        } else {
            Cidr.Parsed parsed = Cidr.parse(v);
            if (parsed == null) {
                throw Args.error(node, "invalid parameter \"" + v + "\"");
            }
            if (parsed.hostBitsSet()) {
                ctx.warn("low address bits of " + v + " are meaningless", node.pos());
            }
            rule = new AccessRule(allow, parsed.cidr(), false, v);
        }
        block.append(RULES, rule);
    }
}
