package io.tunnelgate.forward;

import static io.tunnelgate.config.Context.HTTP;
import static io.tunnelgate.config.Context.LOCATION;
import static io.tunnelgate.config.Context.SERVER;

import io.tunnelgate.config.Args;
import io.tunnelgate.config.Block;
import io.tunnelgate.config.ConfigException;
import io.tunnelgate.config.ConfigNode;
import io.tunnelgate.config.Context;
import io.tunnelgate.config.DirectiveRegistry;
import io.tunnelgate.config.DirectiveSpec;
import io.tunnelgate.config.LoadContext;
import io.tunnelgate.config.Setting;
import io.tunnelgate.http.HttpDirectives;
import io.tunnelgate.http.HttpModel;
import io.tunnelgate.http.ProxyPolicyDirectives;
import io.tunnelgate.http.HttpSettings;
import io.tunnelgate.http.LocationConf;
import io.tunnelgate.http.LocationSpec;
import io.tunnelgate.script.Template;
import io.tunnelgate.tunnel.TunnelDirectives;
import io.tunnelgate.upstream.UpstreamGroups;
import io.tunnelgate.upstream.UpstreamRef;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * nginx's proxy module directives for plain-HTTP forwarding. Settings merge as nginx merges them;
 * the list-valued ones ({@code proxy_set_header}, {@code proxy_hide_header},
 * {@code proxy_pass_header}) are replaced, not extended, by a level that gives any.
 */
public final class ForwardDirectives {
    static final Setting<List<HeaderRule>> SET_HEADERS = Setting.of("proxy_set_header", List.of());
    static final Setting<List<String>> HIDE = Setting.of("proxy_hide_header", List.of());
    static final Setting<List<String>> PASS = Setting.of("proxy_pass_header", List.of());
    static final Setting<Boolean> HTTP11 = Setting.of("proxy_http_version", true);
    static final Setting<Long> CONNECT_TIMEOUT = Setting.of("proxy_connect_timeout", 60_000L);
    static final Setting<Long> READ_TIMEOUT = Setting.of("proxy_read_timeout", 60_000L);
    static final Setting<Long> SEND_TIMEOUT = Setting.of("proxy_send_timeout", 60_000L);
    static final Setting<Long> CLIENT_SEND_TIMEOUT = Setting.of("send_timeout", 60_000L);
    static final Setting<Integer> BUFFER_SIZE = Setting.of("proxy_buffer_size", 64 * 1024);
    static final Setting<Boolean> INTERCEPT = Setting.of("proxy_intercept_errors", false);
    static final Setting<NextUpstream> NEXT = Setting.of("proxy_next_upstream", NextUpstream.DEFAULT);
    static final Setting<Integer> NEXT_TRIES = Setting.of("proxy_next_upstream_tries", 0);
    static final Setting<Long> NEXT_TIMEOUT = Setting.of("proxy_next_upstream_timeout", 0L);
    static final Setting<Boolean> VIA = Setting.of("proxy_via", true);

    /** A URL whose authority is exactly {@code $host} (or {@code ${host}}): the request's port is kept. */
    private static final Pattern HOST_ONLY = Pattern.compile("(?i)http://\\$(host|\\{host\\})(/.*)?");

    /** Response headers nginx hides by default. */
    private static final List<String> HIDDEN = List.of("date", "server", "x-pad", "x-accel-expires",
            "x-accel-redirect", "x-accel-limit-rate", "x-accel-buffering", "x-accel-charset");

    private ForwardDirectives() {
    }

    public static void register(DirectiveRegistry r) {
        Set<Context> hsl = EnumSet.of(HTTP, SERVER, LOCATION);
        r.add(DirectiveSpec.simple("proxy_pass", Set.of(LOCATION), 1, 1, ForwardDirectives::proxyPass))
                .add(DirectiveSpec.simple("proxy_set_header", hsl, 2, 2, (c, b, n) ->
                        b.append(SET_HEADERS, HeaderRule.of(n.arg(0), HttpDirectives.compile(c, n, n.arg(1))))))
                .add(DirectiveSpec.simple("proxy_hide_header", hsl, 1, 1, (c, b, n) ->
                        b.append(HIDE, n.arg(0).toLowerCase(Locale.ROOT))))
                .add(DirectiveSpec.simple("proxy_pass_header", hsl, 1, 1, (c, b, n) ->
                        b.append(PASS, n.arg(0).toLowerCase(Locale.ROOT))))
                .add(DirectiveSpec.simple("proxy_http_version", hsl, 1, 1, ForwardDirectives::httpVersion))
                .add(DirectiveSpec.simple("proxy_connect_timeout", hsl, 1, 1, (c, b, n) ->
                        b.set(CONNECT_TIMEOUT, Args.millis(n, 0), n)))
                .add(DirectiveSpec.simple("proxy_read_timeout", hsl, 1, 1, (c, b, n) ->
                        b.set(READ_TIMEOUT, Args.millis(n, 0), n)))
                .add(DirectiveSpec.simple("proxy_send_timeout", hsl, 1, 1, (c, b, n) ->
                        b.set(SEND_TIMEOUT, Args.millis(n, 0), n)))
                .add(DirectiveSpec.simple("send_timeout", hsl, 1, 1, (c, b, n) ->
                        b.set(CLIENT_SEND_TIMEOUT, Args.millis(n, 0), n)))
                .add(DirectiveSpec.simple("proxy_buffer_size", hsl, 1, 1, (c, b, n) ->
                        b.set(BUFFER_SIZE, Args.size(n, 0), n)))
                .add(DirectiveSpec.simple("proxy_intercept_errors", hsl, 1, 1, (c, b, n) ->
                        b.set(INTERCEPT, Args.flag(n, 0), n)))
                .add(DirectiveSpec.simple("proxy_next_upstream", hsl, 1, DirectiveSpec.UNLIMITED,
                        ForwardDirectives::nextUpstream))
                .add(DirectiveSpec.simple("proxy_next_upstream_tries", hsl, 1, 1, (c, b, n) ->
                        b.set(NEXT_TRIES, Args.number(n, 0), n)))
                .add(DirectiveSpec.simple("proxy_next_upstream_timeout", hsl, 1, 1, (c, b, n) ->
                        b.set(NEXT_TIMEOUT, Args.millis(n, 0), n)))
                .add(DirectiveSpec.simple("proxy_via", hsl, 1, 1, (c, b, n) -> b.set(VIA, Args.flag(n, 0), n)));
        registerAccepted(r, hsl);
    }

    /**
     * Directives that configs carry for nginx's buffering to memory and disk. Tunnelgate always
     * streams with bounded memory and never writes bodies to disk, so their values change nothing;
     * they are checked for syntax and accepted, so that such configs load (docs/forwarding.md).
     */
    private static void registerAccepted(DirectiveRegistry r, Set<Context> hsl) {
        r.add(DirectiveSpec.simple("client_body_temp_path", hsl, 1, 4, (c, b, n) -> { }))
                .add(DirectiveSpec.simple("proxy_temp_path", hsl, 1, 4, (c, b, n) -> { }))
                .add(DirectiveSpec.simple("proxy_buffering", hsl, 1, 1, (c, b, n) -> Args.flag(n, 0)))
                .add(DirectiveSpec.simple("proxy_request_buffering", hsl, 1, 1, (c, b, n) -> Args.flag(n, 0)))
                .add(DirectiveSpec.simple("proxy_buffers", hsl, 2, 2, (c, b, n) -> Args.size(n, 1)))
                .add(DirectiveSpec.simple("proxy_busy_buffers_size", hsl, 1, 1, (c, b, n) -> Args.size(n, 0)))
                .add(DirectiveSpec.simple("proxy_max_temp_file_size", hsl, 1, 1, (c, b, n) -> Args.size(n, 0)))
                .add(DirectiveSpec.simple("proxy_redirect", hsl, 1, 2, ForwardDirectives::redirect));
    }

    /** Only {@code off} and {@code default} (which, like nginx with a variable proxy_pass, changes nothing). */
    private static void redirect(LoadContext ctx, Block block, ConfigNode node) throws ConfigException {
        if (node.argCount() != 1 || !(node.arg(0).equals("off") || node.arg(0).equals("default"))) {
            throw Args.error(node, "\"proxy_redirect\" with a replacement is not supported by Tunnelgate");
        }
    }

    private static void httpVersion(LoadContext ctx, Block block, ConfigNode node) throws ConfigException {
        String v = node.arg(0);
        if (!v.equals("1.0") && !v.equals("1.1")) {
            throw Args.invalidValue(node, v);
        }
        block.set(HTTP11, v.equals("1.1"), node);
    }

    private static void nextUpstream(LoadContext ctx, Block block, ConfigNode node) throws ConfigException {
        Set<NextUpstream.Condition> on = EnumSet.noneOf(NextUpstream.Condition.class);
        for (int i = 0; i < node.argCount(); i++) {
            String word = node.arg(i);
            if (word.equals("off") && node.argCount() == 1) {
                break;
            }
            NextUpstream.Condition found = null;
            for (NextUpstream.Condition c : NextUpstream.Condition.values()) {
                if (c.word.equals(word)) {
                    found = c;
                }
            }
            if (found == null) {
                throw Args.invalidValue(node, word);
            }
            on.add(found);
        }
        block.set(NEXT, new NextUpstream(on, 0, 0), node);
    }

    private static void proxyPass(LoadContext ctx, Block block, ConfigNode node) throws ConfigException {
        if (block.isSetHere(HttpSettings.LOCATION_HANDLER)) {
            throw Args.error(node, "\"proxy_pass\" directive is duplicate");
        }
        String url = node.arg(0);
        ProxyPass pass;
        if (Template.hasVariables(url)) {
            pass = new ProxyPass(url, HttpDirectives.compile(ctx, node, url), null, null,
                    HOST_ONLY.matcher(url).matches());
        } else {
            ProxyPass.Url parsed;
            try {
                parsed = ProxyPass.Url.parse(url);
            } catch (ProxyPass.InvalidUrl e) {
                throw Args.error(node, e.getMessage());
            }
            UpstreamRef ref = UpstreamGroups.of(ctx).reference(parsed.host(), parsed.port(), parsed.portGiven(), node);
            pass = new ProxyPass(url, null, parsed, ref, false);
            LocationSpec spec = LocationSpec.of(block);
            if (pass.target().uri() != null && (spec.match().isRegex() || spec.match() == LocationConf.Match.NAMED)) {
                // there is no matched prefix for the URI part to replace
                throw Args.error(node, "\"proxy_pass\" cannot have URI part in location given by regular expression, "
                        + "or inside named location, or inside \"if\" statement, or inside \"limit_except\" block");
            }
        }
        // as nginx: a request for the location's name without its last slash is redirected to it
        LocationSpec.autoRedirect(block);
        UpstreamGroups groups = UpstreamGroups.of(ctx);
        block.set(HttpSettings.LOCATION_HANDLER, b -> new ForwardHandler(conf(b, pass, groups)), node);
    }

    /** The merged settings of the location that has {@code proxy_pass}. */
    private static ForwardConf conf(Block b, ProxyPass pass, UpstreamGroups groups) {
        List<HeaderRule> headers = b.get(SET_HEADERS);
        Set<String> replaced = new LinkedHashSet<>();
        headers.forEach(h -> replaced.add(h.lowerName()));
        Set<String> hide = new LinkedHashSet<>(HIDDEN);
        hide.removeAll(b.get(PASS));
        hide.addAll(b.get(HIDE));
        NextUpstream next = b.get(NEXT);
        next = new NextUpstream(next.on(), b.get(NEXT_TRIES), b.get(NEXT_TIMEOUT));
        return new ForwardConf(pass, headers, HeaderNameSet.of(replaced), HeaderNameSet.of(hide), b.get(HTTP11),
                b.get(CONNECT_TIMEOUT), b.get(READ_TIMEOUT), b.get(SEND_TIMEOUT), b.get(CLIENT_SEND_TIMEOUT),
                b.get(BUFFER_SIZE), b.get(INTERCEPT), next, b.get(VIA), HttpModel.resolver(b), groups,
                ProxyPolicyDirectives.guard(b, ""), TunnelDirectives.relaySplice(b));
    }
}
