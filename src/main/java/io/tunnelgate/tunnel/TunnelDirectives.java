package io.tunnelgate.tunnel;

import static io.tunnelgate.config.Context.HTTP;
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
import io.tunnelgate.config.Values;
import io.tunnelgate.http.HttpDirectives;
import io.tunnelgate.http.HttpModel;
import io.tunnelgate.http.Request;
import io.tunnelgate.http.TransportNeeds;
import io.tunnelgate.script.ComplexValue;
import io.tunnelgate.script.Template;
import java.net.InetSocketAddress;
import java.util.Optional;
import io.tunnelgate.http.HttpSettings;
import io.tunnelgate.http.ProxyPolicyDirectives;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The proxy_connect module's directives with its exact rules (spec §1): {@code proxy_connect} and
 * {@code proxy_connect_allow} in server only; the timeouts at http and server level, where
 * {@code proxy_connect_read_timeout} is the same slot as {@code proxy_connect_data_timeout}.
 */
public final class TunnelDirectives {
    static final Setting<PortSet> ALLOW = Setting.local("proxy_connect_allow", PortSet.DEFAULT);
    static final Setting<Long> CONNECT_TIMEOUT = Setting.of("proxy_connect_connect_timeout", 60_000L);
    /** One slot for data_timeout and its deprecated alias read_timeout: both at one level is "duplicate". */
    static final Setting<Long> DATA_TIMEOUT = Setting.of("proxy_connect_data_timeout", 60_000L);
    static final Setting<Long> SEND_TIMEOUT = Setting.of("proxy_connect_send_timeout", 60_000L);
    static final Setting<Long> SEND_LOWAT = Setting.of("proxy_connect_send_lowat", 0L);
    static final Setting<Boolean> HALF_CLOSE = Setting.of("proxy_connect_half_close", false);
    /**
     * Tunnelgate's: how many bytes a relay direction (tunnels and upgraded connections) moves
     * through buffers before it splices, where it can; -1 never splices.
     */
    static final Setting<Long> SPLICE = Setting.of("relay_splice", Relay.SPLICE_AFTER_DEFAULT);
    static final Setting<ComplexValue<Request>> ADDRESS = Setting.of("proxy_connect_address", null);
    /** The {@code off} of proxy_connect_bind is a value (it stops inheritance), so the slot holds an Optional. */
    static final Setting<Optional<BindSpec>> BIND = Setting.of("proxy_connect_bind", Optional.empty());
    /** Never copied down from http level: the module's merge skips it (spec §1.6). */
    static final Setting<ComplexValue<Request>> RESPONSE = Setting.local("proxy_connect_response", null);

    private TunnelDirectives() {
    }

    public static void register(DirectiveRegistry r) {
        Set<io.tunnelgate.config.Context> hs = EnumSet.of(HTTP, SERVER);
        r.add(DirectiveSpec.simple("proxy_connect", Set.of(SERVER), 0, 0, TunnelDirectives::proxyConnect))
                .add(DirectiveSpec.simple("proxy_connect_allow", Set.of(SERVER), 1, UNLIMITED,
                        TunnelDirectives::allow))
                .add(DirectiveSpec.simple("proxy_connect_connect_timeout", hs, 1, 1, (c, b, n) ->
                        b.set(CONNECT_TIMEOUT, Args.millis(n, 0), n)))
                .add(DirectiveSpec.simple("proxy_connect_data_timeout", hs, 1, 1, (c, b, n) ->
                        b.set(DATA_TIMEOUT, Args.millis(n, 0), n)))
                .add(DirectiveSpec.simple("proxy_connect_read_timeout", hs, 1, 1, (c, b, n) ->
                        b.set(DATA_TIMEOUT, Args.millis(n, 0), n)))
                .add(DirectiveSpec.simple("proxy_connect_send_timeout", hs, 1, 1, (c, b, n) ->
                        b.set(SEND_TIMEOUT, Args.millis(n, 0), n)))
                .add(DirectiveSpec.simple("proxy_connect_send_lowat", hs, 1, 1, (c, b, n) ->
                        b.set(SEND_LOWAT, (long) Args.size(n, 0), n)))
                .add(DirectiveSpec.simple("proxy_connect_half_close", hs, 1, 1, (c, b, n) ->
                        b.set(HALF_CLOSE, Args.flag(n, 0), n)))
                .add(DirectiveSpec.simple("relay_splice", hs, 1, 1, (c, b, n) ->
                        b.set(SPLICE, spliceAfter(n), n)))
                .add(DirectiveSpec.simple("proxy_connect_address", hs, 1, 1, (c, b, n) ->
                        b.set(ADDRESS, HttpDirectives.compile(c, n, n.arg(0)), n)))
                .add(DirectiveSpec.simple("proxy_connect_bind", hs, 1, 2, TunnelDirectives::bind))
                .add(DirectiveSpec.simple("proxy_connect_response", hs, 1, 1, (c, b, n) ->
                        b.set(RESPONSE, HttpDirectives.compile(c, n, n.arg(0)), n)));
    }

    /**
     * {@code relay_splice} as it applies to relays started from {@code block} (a server, or a
     * location of one: the directive has no location level, so this is the server's value).
     */
    public static long relaySplice(Block block) {
        return block.get(SPLICE);
    }

    /** {@code on} (after {@link Relay#SPLICE_AFTER_DEFAULT} bytes), {@code off} (-1), or a size. */
    private static long spliceAfter(ConfigNode n) throws ConfigException {
        String v = n.arg(0);
        if (v.equalsIgnoreCase("on")) {
            return Relay.SPLICE_AFTER_DEFAULT;
        }
        if (v.equalsIgnoreCase("off")) {
            return -1;
        }
        long size = Values.parseSize(v);
        if (size < 0) {
            throw new ConfigException("invalid value \"" + v + "\" in \"relay_splice\" directive, it must be \"on\", "
                    + "\"off\" or a size", n.pos());
        }
        return size;
    }

    /** Installs the CONNECT handler on the server; giving it twice is not an error (the module's flag). */
    private static void proxyConnect(LoadContext ctx, Block block, ConfigNode node) {
        block.put(HttpSettings.CONNECT_HANDLER, TunnelDirectives::handler);
    }

    private static ConnectHandler handler(Block server) {
        TunnelConf conf = new TunnelConf(server.get(ALLOW), server.get(CONNECT_TIMEOUT), server.get(DATA_TIMEOUT),
                server.get(SEND_TIMEOUT), server.get(HALF_CLOSE), server.get(SPLICE), HttpModel.resolver(server), server.get(ADDRESS),
                server.get(BIND).orElse(null), server.get(RESPONSE),
                ProxyPolicyDirectives.guard(server, "proxy_connect: "));
        return new ConnectHandler(conf);
    }

    /**
     * {@code proxy_connect_bind address [transparent] | off}: an address without variables is
     * checked now ({@code invalid address "..."}); one with variables is evaluated per request.
     */
    private static void bind(LoadContext ctx, Block block, ConfigNode node) throws ConfigException {
        if (node.argCount() == 1 && node.arg(0).equals("off")) {
            block.set(BIND, Optional.empty(), node);
            return;
        }
        boolean transparent = false;
        if (node.argCount() == 2) {
            if (!node.arg(1).equals("transparent")) {
                throw Args.invalidParameter(node, node.arg(1));
            }
            transparent = true;
            ctx.service(TransportNeeds.class).requireNative("transparent proxying (proxy_connect_bind ... transparent)",
                    node.pos());
        }
        String v = node.arg(0);
        BindSpec spec;
        if (Template.hasVariables(v)) {
            spec = new BindSpec(null, HttpDirectives.compile(ctx, node, v), transparent);
        } else {
            InetSocketAddress fixed = BindAddresses.parse(v);
            if (fixed == null) {
                throw Args.error(node, "invalid address \"" + v + "\"");
            }
            spec = new BindSpec(fixed, null, transparent);
        }
        block.set(BIND, Optional.of(spec), node);
    }

    /** {@code all | port ... | port-range ...} with the module's messages. */
    private static void allow(LoadContext ctx, Block block, ConfigNode node) throws ConfigException {
        boolean all = false;
        List<int[]> ranges = new ArrayList<>();
        for (int i = 0; i < node.argCount(); i++) {
            String a = node.arg(i);
            if (a.equals("all")) {
                all = true;
                continue;
            }
            int dash = a.indexOf('-');
            if (dash >= 0) {
                int lo = Values.parseInt(a.substring(0, dash));
                int hi = Values.parseInt(a.substring(dash + 1));
                if (lo < 1 || hi < 1 || lo > 65535 || hi > 65535 || lo > hi) {
                    throw Args.error(node, "invalid port range \"" + a + "\" in \"proxy_connect_allow\" directive");
                }
                ranges.add(new int[] {lo, hi});
            } else {
                int port = Values.parseInt(a);
                if (port < 1 || port > 65535) {
                    throw Args.error(node, "invalid value \"" + a + "\" in \"proxy_connect_allow\" directive");
                }
                ranges.add(new int[] {port, port});
            }
        }
        block.set(ALLOW, new PortSet(all, List.copyOf(ranges)), node);
    }
}
