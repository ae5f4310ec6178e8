package io.tunnelgate.http;

import static io.tunnelgate.config.Context.HTTP;
import static io.tunnelgate.config.Context.LOCATION;
import static io.tunnelgate.config.Context.SERVER;

import io.tunnelgate.access.Cidr;
import io.tunnelgate.access.DestinationNets;
import io.tunnelgate.access.DestinationPolicy;
import io.tunnelgate.access.DestinationRule;
import io.tunnelgate.access.HostPattern;
import io.tunnelgate.access.HostRule;
import io.tunnelgate.config.Args;
import io.tunnelgate.config.Block;
import io.tunnelgate.config.ConfigException;
import io.tunnelgate.config.ConfigNode;
import io.tunnelgate.config.Context;
import io.tunnelgate.config.DirectiveRegistry;
import io.tunnelgate.config.DirectiveSpec;
import io.tunnelgate.config.LoadContext;
import io.tunnelgate.config.Setting;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Tunnelgate's directives for where a proxy may go and how it reports failures, read by CONNECT
 * (server level) and {@code proxy_pass} (location level): {@code destination_allow} /
 * {@code destination_deny} for the address dialled, {@code destination_host_allow} /
 * {@code destination_host_deny} for the host asked for, and {@code proxy_status}. Rules of one
 * kind merge as {@code allow}/{@code deny} do: a level with any replaces the inherited ones.
 */
public final class ProxyPolicyDirectives {
    static final Setting<List<DestinationRule>> ADDRESS_RULES = Setting.of("destination_allow/deny", List.of());
    static final Setting<List<HostRule<Request>>> HOST_RULES = Setting.of("destination_host_allow/deny", List.of());
    static final Setting<Boolean> PROXY_STATUS = Setting.of("proxy_status", true);

    /** A name as host rules take it: labels of letters, digits, {@code -}, {@code _}, or an IP literal. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.:\\[\\]-]+");

    private ProxyPolicyDirectives() {
    }

    public static void register(DirectiveRegistry r) {
        Set<Context> hsl = EnumSet.of(HTTP, SERVER, LOCATION);
        r.add(DirectiveSpec.simple("destination_allow", hsl, 1, 1, (c, b, n) -> address(c, b, n, true)))
                .add(DirectiveSpec.simple("destination_deny", hsl, 1, 1, (c, b, n) -> address(c, b, n, false)))
                .add(DirectiveSpec.simple("destination_host_allow", hsl, 1, DirectiveSpec.UNLIMITED,
                        (c, b, n) -> host(c, b, n, true)))
                .add(DirectiveSpec.simple("destination_host_deny", hsl, 1, DirectiveSpec.UNLIMITED,
                        (c, b, n) -> host(c, b, n, false)))
                .add(DirectiveSpec.simple("proxy_status", hsl, 1, 1, (c, b, n) ->
                        b.set(PROXY_STATUS, Args.flag(n, 0), n)));
    }

    /**
     * The guard of a merged level.
     *
     * @param logPrefix what the handler's error-log lines start with
     */
    public static ProxyGuard guard(Block b, String logPrefix) {
        return new ProxyGuard(new DestinationPolicy<>(b.get(ADDRESS_RULES), b.get(HOST_RULES)), logPrefix);
    }

    /** {@code all}, a named set, an address or a network; as {@code allow}, low host bits only warn. */
    private static void address(LoadContext ctx, Block block, ConfigNode node, boolean allow) throws ConfigException {
        String v = node.arg(0);
        String text = node.name() + " " + v;
        if (v.equals("all")) {
            block.append(ADDRESS_RULES, new DestinationRule(allow, true, List.of(), text, node.pos()));
            return;
        }
        List<Cidr> networks = DestinationNets.named(v);
        if (networks == null) {
            Cidr.Parsed parsed = Cidr.parse(v);
            if (parsed == null) {
                throw Args.invalidParameter(node, v);
            }
            if (parsed.hostBitsSet()) {
                ctx.warn("low address bits of " + v + " are meaningless", node.pos());
            }
            networks = List.of(DestinationNets.normalize(parsed.cidr()));
        }
        block.append(ADDRESS_RULES, new DestinationRule(allow, false, networks, text, node.pos()));
    }

    private static void host(LoadContext ctx, Block block, ConfigNode node, boolean allow) throws ConfigException {
        List<HostPattern<Request>> patterns = new ArrayList<>(node.argCount());
        StringBuilder text = new StringBuilder(node.name());
        for (int i = 0; i < node.argCount(); i++) {
            patterns.add(hostPattern(ctx, node, node.arg(i)));
            text.append(' ').append(node.arg(i));
        }
        block.append(HOST_RULES, new HostRule<>(allow, patterns, text.toString(), node.pos()));
    }

    private static HostPattern<Request> hostPattern(LoadContext ctx, ConfigNode node, String v) throws ConfigException {
        if (v.equals("all")) {
            return HostPattern.all();
        }
        if (v.startsWith("$")) {
            return HostPattern.variable(HttpDirectives.compile(ctx, node, v));
        }
        if (v.startsWith("~")) {
            boolean caseless = v.startsWith("~*");
            String re = v.substring(caseless ? 2 : 1);
            if (re.isEmpty()) {
                throw Args.invalidParameter(node, v);
            }
            try {
                return HostPattern.regex(re, caseless);
            } catch (IllegalArgumentException e) {
                throw Args.error(node, e.getMessage());
            }
        }
        boolean wildcard = v.startsWith("*.");
        String name = wildcard ? v.substring(2) : v.startsWith(".") ? v.substring(1) : v;
        if (name.isEmpty() || name.startsWith(".") || !NAME.matcher(name).matches()) {
            throw Args.invalidParameter(node, v);
        }
        return wildcard ? HostPattern.subdomains(name) : v.startsWith(".") ? HostPattern.domain(name)
                : HostPattern.exact(name);
    }
}
