package io.tunnelgate.http;

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
 * nginx's headers module as far as Tunnelgate has it: {@code add_header name value [always]} at
 * http, server and location level (not inside {@code if}, whose blocks here hold only rewrite
 * directives).
 */
public final class HeaderDirectives {
    /** A level with any add_header replaces the inherited ones, as in nginx. */
    static final Setting<List<AddHeader>> ADD_HEADERS = Setting.of("add_header", List.of());

    private HeaderDirectives() {
    }

    public static void register(DirectiveRegistry r) {
        r.add(DirectiveSpec.simple("add_header", EnumSet.of(HTTP, SERVER, LOCATION), 2, 3,
                HeaderDirectives::addHeader));
    }

    private static void addHeader(LoadContext ctx, Block block, ConfigNode node) throws ConfigException {
        boolean always = false;
        if (node.argCount() == 3) {
            if (!node.arg(2).equals("always")) {
                throw Args.error(node, "invalid parameter \"" + node.arg(2) + "\"");
            }
            always = true;
        }
        String name = node.arg(0);
        // nginx copies both as given; a quoted line break would split the response head
        if (!isToken(name)) {
            throw Args.error(node, "invalid header name \"" + name + "\"");
        }
        String value = node.arg(1);
        if (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0) {
            throw Args.error(node, "invalid header value \"" + value + "\"");
        }
        block.append(ADD_HEADERS, new AddHeader(name, HttpDirectives.compile(ctx, node, value), always));
    }

    /** RFC 9110's token: a header name. */
    private static boolean isToken(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                    || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
