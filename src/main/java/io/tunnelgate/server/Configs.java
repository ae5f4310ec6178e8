package io.tunnelgate.server;

import io.tunnelgate.config.Block;
import io.tunnelgate.config.ConfigException;
import io.tunnelgate.config.ConfigLoader;
import io.tunnelgate.config.ConfigReader;
import io.tunnelgate.config.Context;
import io.tunnelgate.config.DirectiveRegistry;
import io.tunnelgate.config.LoadContext;
import io.tunnelgate.forward.ForwardDirectives;
import io.tunnelgate.forward.ForwardVariables;
import io.tunnelgate.access.AccessDirectives;
import io.tunnelgate.auth.AuthDirectives;
import io.tunnelgate.auth.AuthVariables;
import io.tunnelgate.config.SourcePos;
import io.tunnelgate.files.FileDirectives;
import io.tunnelgate.http.ContentDirectives;
import io.tunnelgate.http.HeaderDirectives;
import io.tunnelgate.http.GeoDirectives;
import io.tunnelgate.http.HttpConf;
import io.tunnelgate.http.MapDirectives;
import io.tunnelgate.http.ProxyPolicyDirectives;
import io.tunnelgate.http.StaticContent;
import io.tunnelgate.http.RewriteDirectives;
import io.tunnelgate.http.TransportNeeds;
import io.tunnelgate.script.VariableTable;
import io.tunnelgate.http.HttpDirectives;
import io.tunnelgate.http.HttpModel;
import io.tunnelgate.http.HttpSettings;
import io.tunnelgate.http.LogDirectives;
import io.tunnelgate.http.RequestVariables;
import io.tunnelgate.http.PreAccess;
import io.tunnelgate.limit.LimitDirectives;
import io.tunnelgate.limit.LimitVariables;
import io.tunnelgate.log.ErrorLog;
import io.tunnelgate.log.LogClock;
import io.tunnelgate.log.LogLevel;
import io.tunnelgate.log.LogWriter;
import io.tunnelgate.tunnel.TunnelDirectives;
import io.tunnelgate.tunnel.TunnelVariables;
import io.tunnelgate.upstream.UpstreamDirectives;
import io.tunnelgate.upstream.UpstreamGroups;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Loads a configuration end to end: the directive table and variables of every package, parsing,
 * the directive handlers, and the immutable model.
 */
public final class Configs {
    /** The configuration used when no {@code -c} is given: a local-only CONNECT proxy. */
    public static final String BUILT_IN = """
            # Tunnelgate's built-in configuration, used when no -c is given:
            # a CONNECT proxy for HTTPS (and snews) on the loopback address only.
            worker_processes auto;

            events {
                worker_connections 4096;
            }

            http {
                resolver system;

                server {
                    listen 127.0.0.1:3128;
                    proxy_connect;
                    proxy_connect_allow 443 563;
                }
            }
            """;

    private Configs() {
    }

    /** Every directive Tunnelgate knows. */
    public static DirectiveRegistry registry() {
        DirectiveRegistry r = new DirectiveRegistry();
        CoreDirectives.register(r);
        HttpDirectives.register(r);
        ContentDirectives.register(r);
        HeaderDirectives.register(r);
        FileDirectives.register(r);
        LogDirectives.register(r);
        RewriteDirectives.register(r);
        MapDirectives.register(r);
        GeoDirectives.register(r);
        AccessDirectives.register(r);
        ProxyPolicyDirectives.register(r);
        AuthDirectives.register(r);
        TunnelDirectives.register(r);
        ForwardDirectives.register(r);
        UpstreamDirectives.register(r);
        LimitDirectives.register(r);
        return r;
    }

    /** Every variable Tunnelgate knows. */
    public static RequestVariables variables() {
        RequestVariables v = RequestVariables.withCoreVariables();
        TunnelVariables.define(v.table());
        ForwardVariables.define(v.table());
        AuthVariables.define(v.table());
        LimitVariables.define(v.table());
        return v;
    }

    /**
     * Loads a parsed config. Log files are opened through {@code writer}.
     *
     * @param source the main file, or null for the built-in config
     */
    public static ProxyConfig load(ConfigReader.Result parsed, Path source, Path prefix, LogWriter writer,
                                   LogClock clock) throws ConfigException {
        RequestVariables variables = variables();
        TransportNeeds needs = new TransportNeeds();
        LoadContext ctx = new LoadContext(prefix)
                .put(LogWriter.class, writer)
                .put(LogClock.class, clock)
                .put(RequestVariables.class, variables)
                .put(TransportNeeds.class, needs);
        if (source != null && source.toAbsolutePath().getParent() != null) {
            ctx.confPrefix(source.toAbsolutePath().getParent());
        }
        ctx.put(StaticContent.class, level -> FileDirectives.handler(level, ctx));
        AuthDirectives.install(ctx);
        ctx.put(PreAccess.Factory.class, level -> LimitDirectives.preAccess(ctx, level));
        Block main = new ConfigLoader(registry()).load(parsed.nodes(), ctx);
        VariableTable.Unresolved unknown = variables.table().seal();
        if (unknown != null) {
            // as nginx: a variable used anywhere must be defined somewhere in the config
            throw new ConfigException("unknown \"" + unknown.name() + "\" variable", (SourcePos) unknown.site());
        }
        // every upstream block is known now: bind proxy_pass URLs, resolve implicit groups
        UpstreamGroups.of(ctx).finish();
        // every limit_*_zone is known now: a zone used but never defined is an error
        LimitDirectives.finish(ctx);
        List<Block> https = main.children(Context.HTTP);
        HttpConf http = HttpModel.build(https.isEmpty() ? null : https.get(0), ctx);
        ProcessConf process = process(main, ctx, writer, clock);
        if (needs.nativeFeature() != null && process.transport() == Transport.NIO) {
            throw new ConfigException(needs.nativeFeature() + " needs the epoll or io_uring transport",
                    needs.nativePos());
        }
        return new ProxyConfig(process, http, parsed.files(), ctx.warnings(), source);
    }

    private static ProcessConf process(Block main, LoadContext ctx, LogWriter writer, LogClock clock) {
        List<Block> events = main.children(Context.EVENTS);
        Block ev = events.isEmpty() ? main : events.get(0);
        Transport use = ev.get(CoreDirectives.USE);
        String pid = main.get(CoreDirectives.PID);
        List<ErrorLog.Entry> logs = main.get(HttpSettings.ERROR_LOGS);
        ErrorLog errorLog;
        try {
            errorLog = logs != null ? new ErrorLog(logs, clock)
                    : new ErrorLog(List.of(new ErrorLog.Entry(writer.open("stderr", ctx.prefix()), LogLevel.ERROR)), clock);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Transport transport = use != null ? use : Transport.preferred();
        CoreDirectives.BusyPoll busy = ev.get(CoreDirectives.BUSY_POLL);
        int busyMicros = busy == null ? 0 : busy.micros();
        if (busyMicros > 0 && transport != Transport.EPOLL) {
            ctx.warn("\"busy_poll\" is ignored: only the epoll transport polls, not " + transport.label(), busy.pos());
            busyMicros = 0;
        }
        CoreDirectives.NotsentLowat lowat = ev.get(CoreDirectives.NOTSENT_LOWAT);
        int lowatBytes = lowat == null ? 0 : lowat.bytes();
        if (lowatBytes > 0 && !transport.supportsNotsentLowat()) {
            ctx.warn("\"tcp_notsent_lowat\" is ignored: the " + transport.label()
                    + " transport cannot set TCP_NOTSENT_LOWAT", lowat.pos());
            lowatBytes = 0;
        }
        return new ProcessConf(main.get(CoreDirectives.WORKERS), ev.get(CoreDirectives.WORKER_CONNECTIONS),
                transport, busyMicros, lowatBytes, pid == null ? null : ctx.resolve(pid), errorLog);
    }
}
