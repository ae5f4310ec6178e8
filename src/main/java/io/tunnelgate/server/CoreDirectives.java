package io.tunnelgate.server;

import static io.tunnelgate.config.Context.EVENTS;
import static io.tunnelgate.config.Context.HTTP;
import static io.tunnelgate.config.Context.LOCATION;
import static io.tunnelgate.config.Context.MAIN;
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
import java.util.EnumSet;
import java.util.Set;

/**
 * nginx's main and events directives. Those that configure a multi-process C server
 * ({@code user}, {@code worker_rlimit_nofile}, {@code daemon on}) are accepted so existing configs
 * load; where Tunnelgate cannot do what they ask, loading records a warning that says so.
 */
public final class CoreDirectives {
    static final Setting<Integer> WORKERS = Setting.of("worker_processes", 1);
    static final Setting<Integer> WORKER_CONNECTIONS = Setting.of("worker_connections", 512);
    static final Setting<Transport> USE = Setting.of("use", null);
    static final Setting<String> PID = Setting.of("pid", null);
    static final Setting<Boolean> DAEMON = Setting.of("daemon", true);
    static final Setting<String> USER = Setting.of("user", null);
    static final Setting<Integer> RLIMIT_NOFILE = Setting.of("worker_rlimit_nofile", -1);
    static final Setting<Boolean> MULTI_ACCEPT = Setting.of("multi_accept", false);
    static final Setting<BusyPoll> BUSY_POLL = Setting.of("busy_poll", null);
    /** The most {@code busy_poll} takes: longer spins would hold a core for the scheduler's whole slice. */
    static final int MAX_BUSY_POLL_MICROS = 10_000;

    /** {@code busy_poll}, with where it was set (a transport that cannot poll ignores it with a warning). */
    record BusyPoll(int micros, SourcePos pos) {
    }

    static final Setting<NotsentLowat> NOTSENT_LOWAT = Setting.of("tcp_notsent_lowat", null);
    /**
     * {@code tcp_notsent_lowat} in bytes (0 for off), with where it was set (NIO ignores it with a
     * warning). Off unless written: with it, a tunnel cut while a write to the client is partly done
     * logs less than the client got (docs/directives.md).
     */
    record NotsentLowat(int bytes, SourcePos pos) {
    }

    private CoreDirectives() {
    }

    public static void register(DirectiveRegistry r) {
        r.add(DirectiveSpec.simple("worker_processes", Set.of(MAIN), 1, 1, CoreDirectives::workers))
                .add(DirectiveSpec.simple("daemon", Set.of(MAIN), 1, 1, CoreDirectives::daemon))
                .add(DirectiveSpec.simple("pid", Set.of(MAIN), 1, 1, (c, b, n) -> b.set(PID, n.arg(0), n)))
                .add(DirectiveSpec.simple("user", Set.of(MAIN), 1, 2, CoreDirectives::user))
                .add(DirectiveSpec.simple("worker_rlimit_nofile", Set.of(MAIN), 1, 1, (c, b, n) ->
                        b.set(RLIMIT_NOFILE, Args.number(n, 0), n)))
                .add(DirectiveSpec.block("events", Set.of(MAIN), 0, 0, CoreDirectives::events))
                .add(DirectiveSpec.simple("worker_connections", Set.of(EVENTS), 1, 1, CoreDirectives::connections))
                .add(DirectiveSpec.simple("use", Set.of(EVENTS), 1, 1, CoreDirectives::use))
                .add(DirectiveSpec.simple("multi_accept", Set.of(EVENTS), 1, 1, (c, b, n) ->
                        b.set(MULTI_ACCEPT, Args.flag(n, 0), n)))
                .add(DirectiveSpec.simple("accept_mutex", Set.of(EVENTS), 1, 1, (c, b, n) -> Args.flag(n, 0)))
                .add(DirectiveSpec.simple("busy_poll", Set.of(EVENTS), 1, 1, CoreDirectives::busyPoll))
                .add(DirectiveSpec.simple("tcp_notsent_lowat", Set.of(EVENTS), 1, 1, CoreDirectives::notsentLowat));
        registerNoOps(r);
    }

    /**
     * Directives found in almost every nginx.conf that have nothing to change here: files are
     * always sent with sendfile where the transport can, and every connection has TCP_NODELAY.
     */
    private static void registerNoOps(DirectiveRegistry r) {
        Set<io.tunnelgate.config.Context> hsl = EnumSet.of(HTTP, SERVER, LOCATION);
        r.add(DirectiveSpec.simple("sendfile", hsl, 1, 1, (c, b, n) -> Args.flag(n, 0)))
                .add(DirectiveSpec.simple("tcp_nopush", hsl, 1, 1, (c, b, n) -> Args.flag(n, 0)))
                .add(DirectiveSpec.simple("tcp_nodelay", hsl, 1, 1, (c, b, n) -> Args.flag(n, 0)));
    }

    private static void workers(LoadContext ctx, Block b, ConfigNode n) throws ConfigException {
        int workers = n.arg(0).equals("auto") ? Runtime.getRuntime().availableProcessors() : Values.parseInt(n.arg(0));
        if (workers <= 0) {
            // nginx's words; unlike nginx, 0 is refused too: a proxy needs at least one event loop
            throw Args.invalidSlotValue(n);
        }
        b.set(WORKERS, workers, n);
    }

    private static void daemon(LoadContext ctx, Block b, ConfigNode n) throws ConfigException {
        boolean on = Args.flag(n, 0);
        if (on) {
            ctx.warn("\"daemon on\" is ignored: Tunnelgate always stays in the foreground", n.pos());
        }
        b.set(DAEMON, on, n);
    }

    private static void user(LoadContext ctx, Block b, ConfigNode n) throws ConfigException {
        ctx.warn("the \"user\" directive is ignored: a JVM cannot change its user; start Tunnelgate as \""
                + n.arg(0) + "\"", n.pos());
        b.set(USER, n.arg(0), n);
    }

    private static void events(LoadContext ctx, Block b, ConfigNode n) throws ConfigException {
        if (!b.children(EVENTS).isEmpty()) {
            throw Args.error(n, "\"events\" directive is duplicate");
        }
        b.openChild(EVENTS, n);
    }

    private static void connections(LoadContext ctx, Block b, ConfigNode n) throws ConfigException {
        int v = Values.parseInt(n.arg(0));
        if (v < 0) {
            // nginx parses worker_connections itself, with its own message
            throw Args.error(n, "invalid number \"" + n.arg(0) + "\"");
        }
        if (v < 2) {
            throw Args.invalidSlotValue(n);
        }
        b.set(WORKER_CONNECTIONS, v, n);
    }

    /** {@code busy_poll off | Nus} (Tunnelgate): microseconds, the unit written out like nginx's ms. */
    private static void busyPoll(LoadContext ctx, Block b, ConfigNode n) throws ConfigException {
        String v = n.arg(0);
        int micros;
        if (v.equals("off")) {
            micros = 0;
        } else if (v.matches("[0-9]{1,9}us")) {
            micros = Integer.parseInt(v.substring(0, v.length() - 2));
            if (micros > MAX_BUSY_POLL_MICROS) {
                throw Args.error(n, "\"busy_poll\" is at most " + MAX_BUSY_POLL_MICROS + "us, not \"" + v + "\"");
            }
        } else {
            throw Args.invalidValue(n, v);
        }
        b.set(BUSY_POLL, new BusyPoll(micros, n.pos()), n);
    }

    /** {@code tcp_notsent_lowat off | size} (Tunnelgate): off leaves the kernel's own setting. */
    private static void notsentLowat(LoadContext ctx, Block b, ConfigNode n) throws ConfigException {
        int bytes = n.arg(0).equals("off") ? 0 : Args.size(n, 0);
        if (bytes == 0 && !n.arg(0).equals("off")) {
            // the kernel reads 0 as "use net.ipv4.tcp_notsent_lowat": that is what off says
            throw Args.invalidValue(n, n.arg(0));
        }
        b.set(NOTSENT_LOWAT, new NotsentLowat(bytes, n.pos()), n);
    }

    private static void use(LoadContext ctx, Block b, ConfigNode n) throws ConfigException {
        Transport t = Transport.named(n.arg(0));
        if (t == null) {
            throw Args.error(n, "invalid event type \"" + n.arg(0) + "\"");
        }
        Throwable cause = t.unavailabilityCause();
        if (cause != null) {
            throw unavailable(n, cause);
        }
        b.set(USE, t, n);
    }

    /**
     * A known event method that cannot run here: nginx fails at start with the system call's error
     * ({@code epoll_create() failed}); the closest here is the native library's own reason, and
     * the innermost cause when it has one (the kernel's or the loader's words).
     */
    static ConfigException unavailable(ConfigNode n, Throwable cause) {
        Throwable root = cause;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String reason = root == cause ? describe(cause) : describe(cause) + ": " + describe(root);
        return Args.error(n, "event type \"" + n.arg(0) + "\" is not available here (" + reason + ")");
    }

    private static String describe(Throwable t) {
        return t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
    }
}
