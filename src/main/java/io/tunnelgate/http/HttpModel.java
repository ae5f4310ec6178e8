package io.tunnelgate.http;

import io.tunnelgate.access.AccessDirectives;
import io.tunnelgate.config.Block;
import io.tunnelgate.config.ConfigException;
import io.tunnelgate.config.Context;
import io.tunnelgate.config.LoadContext;
import io.tunnelgate.log.ErrorLog;
import io.tunnelgate.log.Escape;
import io.tunnelgate.log.LogFormat;
import io.tunnelgate.log.LogClock;
import io.tunnelgate.log.LogLevel;
import io.tunnelgate.log.LogWriter;
import io.tunnelgate.resolve.ResolverSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.Map;

/**
 * Turns the loaded http block into the immutable {@link HttpConf}: merges every server and
 * location with its parents, builds content handlers, and groups servers by listen address with
 * nginx's checks (one default server and one set of socket options per address).
 */
public final class HttpModel {
    private final LoadContext ctx;
    private List<AccessLog> defaultAccessLogs;
    private ErrorLog.Entry defaultErrorLog;

    private HttpModel(LoadContext ctx) {
        this.ctx = ctx;
    }

    /** Builds the http configuration; {@code http} may be null when the config has none. */
    public static HttpConf build(Block http, LoadContext ctx) throws ConfigException {
        if (http == null) {
            return HttpConf.empty();
        }
        return new HttpModel(ctx).buildHttp(http);
    }

    private HttpConf buildHttp(Block http) throws ConfigException {
        List<ServerConf> servers = new ArrayList<>();
        for (Block s : http.children(Context.SERVER)) {
            servers.add(server(s));
        }
        Set<ResolverSpec> resolvers = new LinkedHashSet<>();
        collectResolvers(http, resolvers);
        return new HttpConf(servers, groups(servers), List.copyOf(resolvers));
    }

    /** Every resolver a server or location uses, so that all are built before traffic arrives. */
    private static void collectResolvers(Block b, Set<ResolverSpec> into) {
        ResolverSpec spec = resolver(b);
        if (spec != null) {
            into.add(spec);
        }
        for (Block child : b.children()) {
            collectResolvers(child, into);
        }
    }

    private ServerConf server(Block b) throws ConfigException {
        List<ListenSpec> listens = b.get(HttpSettings.LISTENS);
        if (listens.isEmpty()) {
            listens = List.of(defaultListen(b));
        }
        HttpSettings.HandlerFactory factory = b.local(HttpSettings.CONNECT_HANDLER);
        Locations locations = locations(b, false);
        int[] large = b.get(HttpSettings.LARGE_HEADER_BUFFERS);
        ClientLimits limits = new ClientLimits(b.get(HttpSettings.CLIENT_HEADER_TIMEOUT),
                b.get(HttpSettings.KEEPALIVE_TIMEOUT), b.get(HttpSettings.CLIENT_HEADER_BUFFER), large[0], large[1]);
        return new ServerConf(b.get(HttpSettings.SERVER_NAMES), listens,
                factory == null ? null : factory.create(b), RewriteDirectives.program(b),
                access(b), staticContent(b), locations, level(b), resolver(b), limits,
                b.node().pos());
    }

    /**
     * The locations opened in a server or location block, nested ones built with them.
     *
     * @param regexOnly keep only the regex locations: nginx builds no prefix tree for the
     *     locations inside a regex location (only for those inside the server and inside prefix
     *     locations), so an exact or prefix location there is never chosen, and not even checked
     *     for duplicates
     */
    private Locations locations(Block b, boolean regexOnly) throws ConfigException {
        List<LocationConf> locations = new ArrayList<>();
        for (Block l : b.children(Context.LOCATION)) {
            if (!regexOnly || LocationSpec.of(l).match().isRegex()) {
                locations.add(location(l));
            }
        }
        return Locations.of(locations);
    }

    /**
     * One location; its settings merge through the enclosing locations up to the server (the
     * blocks' parents), as nginx merges a nested location with its parent location.
     */
    private LocationConf location(Block l) throws ConfigException {
        LocationSpec spec = LocationSpec.of(l);
        String pattern = spec.match().isRegex() ? spec.name() : spec.uriForm();
        HttpSettings.HandlerFactory factory = l.local(HttpSettings.LOCATION_HANDLER);
        ContentHandler handler = factory == null ? null : factory.create(l);
        return new LocationConf(spec.match(), pattern, spec.regex(), l.get(HttpSettings.AUTO_REDIRECT),
                RewriteDirectives.program(l), access(l),
                handler != null ? handler : staticContent(l), level(l), locations(l, spec.match().isRegex()),
                l.node().pos());
    }

    /**
     * The access phase of a merged level: its allow/deny rules, satisfy, and the authentication
     * the auth package builds (none when it is not wired, as in tests that load bare configs).
     */
    private AccessConf access(Block b) throws ConfigException {
        AuthCheck.Factory auth = ctx.service(AuthCheck.Factory.class, () -> level -> null);
        return new AccessConf(b.get(AccessDirectives.RULES), b.get(HttpSettings.SATISFY_ANY), auth.create(b));
    }

    /** nginx's static module for a level without another content handler. */
    private ContentHandler staticContent(Block b) throws ConfigException {
        return ctx.service(StaticContent.class).create(b);
    }

    /** The resolver merged down to this block, with the merged resolver_timeout applied. */
    public static ResolverSpec resolver(Block b) {
        ResolverSpec r = b.get(HttpSettings.RESOLVER);
        if (r == null) {
            return null;
        }
        Duration timeout = Duration.ofMillis(b.get(HttpSettings.RESOLVER_TIMEOUT));
        return new ResolverSpec(r.servers(), r.system(), r.valid(), r.ipv4(), r.ipv6(), timeout);
    }

    private LevelConf level(Block b) throws ConfigException {
        return new LevelConf(accessLogs(b), new ErrorLog(errorLogs(b), ctx.service(LogClock.class)),
                b.get(HttpSettings.SERVER_TOKENS), ContentDirectives.types(b), b.get(ContentDirectives.ERROR_PAGES),
                b.get(ContentDirectives.RECURSIVE_ERROR_PAGES), b.get(RewriteDirectives.UNINITIALIZED_WARN),
                new RequestLimits(b.get(HttpSettings.CLIENT_MAX_BODY_SIZE), b.get(HttpSettings.KEEPALIVE_REQUESTS),
                        b.get(HttpSettings.KEEPALIVE_TIME)), b.get(HeaderDirectives.ADD_HEADERS),
                ctx.service(PreAccess.Factory.class, () -> level -> PreAccess.NONE).create(b),
                b.get(ProxyPolicyDirectives.PROXY_STATUS));
    }

    private List<AccessLog> accessLogs(Block b) {
        List<HttpSettings.AccessLogEntry> entries = b.get(HttpSettings.ACCESS_LOGS);
        if (entries == null) {
            return defaultAccessLogs();
        }
        List<AccessLog> logs = new ArrayList<>();
        for (HttpSettings.AccessLogEntry e : entries) {
            if (e == HttpSettings.AccessLogEntry.OFF) {
                return List.of();
            }
            logs.add(e.log());
        }
        return logs;
    }

    private List<ErrorLog.Entry> errorLogs(Block b) {
        List<ErrorLog.Entry> entries = b.get(HttpSettings.ERROR_LOGS);
        return entries != null ? entries : List.of(defaultErrorLog());
    }

    /** Without any access_log, Tunnelgate logs {@code combined} to stdout (nginx: its build's path). */
    private List<AccessLog> defaultAccessLogs() {
        if (defaultAccessLogs == null) {
            LogFormat<Request> combined = LogFormat.compile("combined", LogFormat.COMBINED, Escape.DEFAULT,
                    ctx.service(RequestVariables.class).table(), null);
            defaultAccessLogs = List.of(new AccessLog(open("stdout"), combined, null));
        }
        return defaultAccessLogs;
    }

    /** Without any error_log, errors go to stderr at level error. */
    private ErrorLog.Entry defaultErrorLog() {
        if (defaultErrorLog == null) {
            defaultErrorLog = new ErrorLog.Entry(open("stderr"), LogLevel.ERROR);
        }
        return defaultErrorLog;
    }

    private io.tunnelgate.log.LogTarget open(String name) {
        try {
            return ctx.service(LogWriter.class).open(name, ctx.prefix());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** nginx listens on *:80 when run as root, else *:8000, for a server without listen. */
    private static ListenSpec defaultListen(Block b) {
        boolean root = "root".equals(System.getProperty("user.name"));
        InetSocketAddress any = new InetSocketAddress(anyIpv4(), root ? 80 : 8000);
        return new ListenSpec(any, false, -1, false, -1, -1, null, true, false, false, b.node().pos());
    }

    private static InetAddress anyIpv4() {
        try {
            return InetAddress.getByAddress(new byte[4]);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** Groups servers by listen address: default server and options checked as nginx does. */
    private static List<ListenGroup> groups(List<ServerConf> servers) throws ConfigException {
        Map<SocketAddress, List<ServerConf>> byAddress = new LinkedHashMap<>();
        Map<SocketAddress, ListenSpec> options = new LinkedHashMap<>();
        Map<SocketAddress, ServerConf> defaults = new LinkedHashMap<>();
        for (ServerConf s : servers) {
            for (ListenSpec l : s.listens()) {
                byAddress.computeIfAbsent(l.address(), k -> new ArrayList<>()).add(s);
                if (l.defaultServer() && defaults.putIfAbsent(l.address(), s) != null) {
                    throw new ConfigException("a duplicate default server for " + l.text(), l.pos());
                }
                ListenSpec prev = options.get(l.address());
                if (prev == null || !prev.hasOptions() && l.hasOptions()) {
                    options.put(l.address(), l);
                } else if (prev.hasOptions() && l.hasOptions()) {
                    throw new ConfigException("duplicate listen options for " + l.text(), l.pos());
                }
            }
        }
        List<ListenGroup> groups = new ArrayList<>();
        for (Map.Entry<SocketAddress, List<ServerConf>> e : byAddress.entrySet()) {
            List<ServerConf> list = e.getValue();
            ServerConf def = defaults.getOrDefault(e.getKey(), list.get(0));
            groups.add(new ListenGroup(e.getKey(), options.get(e.getKey()), new VirtualHosts(list, def)));
        }
        return groups;
    }
}
