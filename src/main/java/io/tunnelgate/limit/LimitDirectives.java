package io.tunnelgate.limit;

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
import io.tunnelgate.config.SourcePos;
import io.tunnelgate.config.Values;
import io.tunnelgate.http.HttpDirectives;
import io.tunnelgate.http.PreAccess;
import io.tunnelgate.log.LogLevel;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;

/**
 * nginx's limit_conn and limit_req modules' directives: the zones at http level, and per level the
 * limits (several allowed; a level that has any replaces those it would inherit), the refusal
 * status, log level and dry-run mode (inherited separately). {@link #preAccess} builds a level's
 * phase from its merged block.
 */
public final class LimitDirectives {
    /** A {@code limit_conn zone number} as written; the zone is looked up once all are defined. */
    record ConnUse(String zone, int conn, SourcePos pos) {
    }

    /** A {@code limit_req zone=name ...} as written; burst and delay in milli-requests. */
    record ReqUse(String zone, long burst, long delay, SourcePos pos) {
    }

    static final Setting<List<ConnUse>> CONNS = Setting.of("limit_conn", List.of());
    static final Setting<Integer> CONN_STATUS = Setting.of("limit_conn_status", 503);
    static final Setting<LogLevel> CONN_LOG_LEVEL = Setting.of("limit_conn_log_level", LogLevel.ERROR);
    static final Setting<Boolean> CONN_DRY_RUN = Setting.of("limit_conn_dry_run", false);
    static final Setting<List<ReqUse>> REQS = Setting.of("limit_req", List.of());
    static final Setting<Integer> REQ_STATUS = Setting.of("limit_req_status", 503);
    static final Setting<LogLevel> REQ_LOG_LEVEL = Setting.of("limit_req_log_level", LogLevel.ERROR);
    static final Setting<Boolean> REQ_DRY_RUN = Setting.of("limit_req_dry_run", false);

    private LimitDirectives() {
    }

    public static void register(DirectiveRegistry r) {
        var http = EnumSet.of(HTTP);
        var levels = EnumSet.of(HTTP, SERVER, LOCATION);
        r.add(DirectiveSpec.simple("limit_conn_zone", http, 2, 2, LimitDirectives::connZone))
                .add(DirectiveSpec.simple("limit_conn", levels, 2, 2, LimitDirectives::conn))
                .add(DirectiveSpec.simple("limit_conn_status", levels, 1, 1, (c, b, n) -> status(b, n, CONN_STATUS)))
                .add(DirectiveSpec.simple("limit_conn_log_level", levels, 1, 1,
                        (c, b, n) -> b.set(CONN_LOG_LEVEL, logLevel(n), n)))
                .add(DirectiveSpec.simple("limit_conn_dry_run", levels, 1, 1,
                        (c, b, n) -> b.set(CONN_DRY_RUN, Args.flag(n, 0), n)))
                .add(DirectiveSpec.simple("limit_req_zone", http, 3, 3, LimitDirectives::reqZone))
                .add(DirectiveSpec.simple("limit_req", levels, 1, 3, LimitDirectives::req))
                .add(DirectiveSpec.simple("limit_req_status", levels, 1, 1, (c, b, n) -> status(b, n, REQ_STATUS)))
                .add(DirectiveSpec.simple("limit_req_log_level", levels, 1, 1,
                        (c, b, n) -> b.set(REQ_LOG_LEVEL, logLevel(n), n)))
                .add(DirectiveSpec.simple("limit_req_dry_run", levels, 1, 1,
                        (c, b, n) -> b.set(REQ_DRY_RUN, Args.flag(n, 0), n)));
    }

    /** Checks, once the whole config is loaded, that every zone used was defined. */
    public static void finish(LoadContext ctx) throws ConfigException {
        Zones.of(ctx).finish();
    }

    /** Builds the pre-access phase of a server or location from its merged block. */
    public static PreAccess preAccess(LoadContext ctx, Block b) throws ConfigException {
        List<ReqUse> reqs = b.get(REQS);
        List<ConnUse> conns = b.get(CONNS);
        if (reqs.isEmpty() && conns.isEmpty()) {
            return PreAccess.NONE;
        }
        Zones zones = Zones.of(ctx);
        ReqLimiter req = null;
        if (!reqs.isEmpty()) {
            List<ReqLimiter.Limit> limits = new ArrayList<>();
            for (ReqUse u : reqs) {
                limits.add(zones.reqLimit(u.zone(), u.burst(), u.delay(), u.pos()));
            }
            req = new ReqLimiter(limits, b.get(REQ_STATUS), b.get(REQ_LOG_LEVEL), b.get(REQ_DRY_RUN));
        }
        ConnLimiter conn = null;
        if (!conns.isEmpty()) {
            List<ConnLimiter.Limit> limits = new ArrayList<>();
            for (ConnUse u : conns) {
                limits.add(zones.connLimit(u.zone(), u.conn(), u.pos()));
            }
            conn = new ConnLimiter(limits, b.get(CONN_STATUS), b.get(CONN_LOG_LEVEL), b.get(CONN_DRY_RUN));
        }
        return new Limits(req, conn);
    }

    /** {@code limit_conn_zone key zone=name:size}. */
    private static void connZone(LoadContext ctx, Block block, ConfigNode node) throws ConfigException {
        ZoneArg zone = ZoneArg.parse(node, node.arg(1));
        Zones.of(ctx).defineConn(zone.name(), zone.size(), HttpDirectives.compile(ctx, node, node.arg(0)), node);
    }

    /** {@code limit_req_zone key zone=name:size rate=Nr/s}, parameters in any order. */
    private static void reqZone(LoadContext ctx, Block block, ConfigNode node) throws ConfigException {
        ZoneArg zone = null;
        long rate = LeakyBucket.ONE;
        for (int i = 1; i < node.argCount(); i++) {
            String a = node.arg(i);
            if (a.startsWith("zone=")) {
                zone = ZoneArg.parse(node, a);
            } else if (a.startsWith("rate=")) {
                rate = rate(node, a);
            } else {
                throw Args.invalidParameter(node, a);
            }
        }
        if (zone == null) {
            throw Args.error(node, "\"" + node.name() + "\" must have \"zone\" parameter");
        }
        Zones.of(ctx).defineReq(zone.name(), zone.size(), rate, HttpDirectives.compile(ctx, node, node.arg(0)), node);
    }

    /** {@code rate=N}, {@code rate=Nr/s} or {@code rate=Nr/m}, in milli-requests per second. */
    private static long rate(ConfigNode node, String arg) throws ConfigException {
        String n = arg.substring("rate=".length());
        boolean perMinute = n.endsWith("r/m");
        if (perMinute || n.endsWith("r/s")) {
            n = n.substring(0, n.length() - 3);
        }
        int requests = Values.parseInt(n);
        if (requests <= 0) {
            throw Args.error(node, "invalid rate \"" + arg + "\"");
        }
        return LeakyBucket.rate(requests, perMinute);
    }

    /** {@code limit_conn zone number}. */
    private static void conn(LoadContext ctx, Block block, ConfigNode node) throws ConfigException {
        String zone = node.arg(0);
        Zones.of(ctx).use(Zones.Kind.CONN, zone, node);
        List<ConnUse> here = block.local(CONNS);
        if (here != null && here.stream().anyMatch(u -> u.zone().equals(zone))) {
            throw Args.error(node, "\"" + node.name() + "\" directive is duplicate");
        }
        int n = Values.parseInt(node.arg(1));
        if (n <= 0) {
            throw Args.error(node, "invalid number of connections \"" + node.arg(1) + "\"");
        }
        if (n > 65535) {
            throw Args.error(node, "connection limit must be less 65536");
        }
        block.append(CONNS, new ConnUse(zone, n, node.pos()));
    }

    /** {@code limit_req zone=name [burst=N] [nodelay | delay=N]}. */
    private static void req(LoadContext ctx, Block block, ConfigNode node) throws ConfigException {
        String zone = null;
        long burst = 0;
        long delay = 0;
        boolean nodelay = false;
        for (int i = 0; i < node.argCount(); i++) {
            String a = node.arg(i);
            if (a.startsWith("zone=")) {
                zone = a.substring("zone=".length());
                Zones.of(ctx).use(Zones.Kind.REQ, zone, node);
            } else if (a.startsWith("burst=")) {
                burst = positive(node, a, "burst");
            } else if (a.startsWith("delay=")) {
                delay = positive(node, a, "delay");
            } else if (a.equals("nodelay")) {
                nodelay = true;
            } else {
                throw Args.invalidParameter(node, a);
            }
        }
        if (zone == null) {
            throw Args.error(node, "\"" + node.name() + "\" must have \"zone\" parameter");
        }
        String name = zone;
        List<ReqUse> here = block.local(REQS);
        if (here != null && here.stream().anyMatch(u -> u.zone().equals(name))) {
            throw Args.error(node, "\"" + node.name() + "\" directive is duplicate");
        }
        block.append(REQS, new ReqUse(zone, burst * LeakyBucket.ONE,
                nodelay ? ReqLimiter.Limit.NO_DELAY : delay * LeakyBucket.ONE, node.pos()));
    }

    /** {@code burst=N} or {@code delay=N}: N above 0. */
    private static long positive(ConfigNode node, String arg, String what) throws ConfigException {
        int v = Values.parseInt(arg.substring(what.length() + 1));
        if (v <= 0) {
            throw Args.error(node, "invalid " + what + " value \"" + arg + "\"");
        }
        return v;
    }

    /** {@code limit_conn_status} / {@code limit_req_status}: 400 to 599. */
    private static void status(Block block, ConfigNode node, Setting<Integer> setting) throws ConfigException {
        int code = Args.number(node, 0);
        if (code < 400 || code > 599) {
            throw Args.error(node, "value must be between 400 and 599");
        }
        block.set(setting, code, node);
    }

    /** nginx's enum of the log-level directives: {@code info}, {@code notice}, {@code warn}, {@code error}. */
    private static LogLevel logLevel(ConfigNode node) throws ConfigException {
        LogLevel level = LogLevel.parse(node.arg(0));
        if (level == null || level.compareTo(LogLevel.INFO) < 0 || level.compareTo(LogLevel.ERROR) > 0) {
            throw Args.error(node, "invalid value \"" + node.arg(0) + "\"");
        }
        return level;
    }
}
