package io.tunnelgate.http;

import static io.tunnelgate.config.Context.HTTP;
import static io.tunnelgate.config.Context.LOCATION;
import static io.tunnelgate.config.Context.MAIN;
import static io.tunnelgate.config.Context.SERVER;
import static io.tunnelgate.config.DirectiveSpec.UNLIMITED;

import io.tunnelgate.config.Args;
import io.tunnelgate.config.Block;
import io.tunnelgate.config.ConfigException;
import io.tunnelgate.config.ConfigNode;
import io.tunnelgate.config.DirectiveRegistry;
import io.tunnelgate.config.DirectiveSpec;
import io.tunnelgate.config.LoadContext;
import io.tunnelgate.config.Values;
import io.tunnelgate.log.ErrorLog;
import io.tunnelgate.log.Escape;
import io.tunnelgate.log.LogFormat;
import io.tunnelgate.log.LogLevel;
import io.tunnelgate.log.LogTarget;
import io.tunnelgate.log.LogWriter;
import java.io.IOException;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * nginx's logging directives: {@code log_format}, {@code access_log} and {@code error_log}. Log
 * files are opened while the config loads (as nginx opens them at start), so a path that cannot
 * be opened is an error naming the directive's file and line.
 */
public final class LogDirectives {
    private LogDirectives() {
    }

    public static void register(DirectiveRegistry r) {
        r.add(DirectiveSpec.simple("log_format", Set.of(HTTP), 2, UNLIMITED, LogDirectives::logFormat))
                .add(DirectiveSpec.simple("access_log", EnumSet.of(HTTP, SERVER, LOCATION), 1, UNLIMITED,
                        LogDirectives::accessLog))
                .add(DirectiveSpec.simple("error_log", EnumSet.of(MAIN, HTTP, SERVER, LOCATION), 1, 2,
                        LogDirectives::errorLog));
    }

    /** The formats defined so far in the http block, {@code combined} included. */
    static Map<String, LogFormat<Request>> formats(LoadContext ctx, Block http) {
        Map<String, LogFormat<Request>> map = http.local(HttpSettings.LOG_FORMATS);
        if (map == null) {
            map = new HashMap<>();
            map.put("combined", LogFormat.compile("combined", LogFormat.COMBINED, Escape.DEFAULT,
                    ctx.service(RequestVariables.class).table(), null));
            http.put(HttpSettings.LOG_FORMATS, map);
        }
        return map;
    }

    private static void logFormat(LoadContext ctx, Block block, ConfigNode node) throws ConfigException {
        String name = node.arg(0);
        Map<String, LogFormat<Request>> formats = formats(ctx, block);
        if (formats.containsKey(name)) {
            throw Args.error(node, "duplicate \"log_format\" name \"" + name + "\"");
        }
        int i = 1;
        Escape escape = Escape.DEFAULT;
        if (node.arg(1).startsWith("escape=")) {
            escape = switch (node.arg(1).substring(7)) {
                case "default" -> Escape.DEFAULT;
                case "json" -> Escape.JSON;
                case "none" -> Escape.NONE;
                default -> throw Args.error(node, "unknown log format escaping \"" + node.arg(1).substring(7) + "\"");
            };
            i = 2;
            if (node.argCount() < 3) {
                throw Args.error(node, "invalid number of arguments in \"log_format\" directive");
            }
        }
        StringBuilder text = new StringBuilder();
        for (; i < node.argCount(); i++) {
            text.append(node.arg(i));
        }
        try {
            formats.put(name, LogFormat.compile(name, text.toString(), escape,
                    ctx.service(RequestVariables.class).table(), node.pos()));
        } catch (IllegalArgumentException e) {
            throw Args.error(node, e.getMessage());
        }
    }

    private static void accessLog(LoadContext ctx, Block block, ConfigNode node) throws ConfigException {
        if (node.arg(0).equals("off")) {
            if (node.argCount() > 1) {
                throw Args.error(node, "invalid parameter \"" + node.arg(1) + "\"");
            }
            block.append(HttpSettings.ACCESS_LOGS, HttpSettings.AccessLogEntry.OFF);
            return;
        }
        String formatName = node.argCount() > 1 ? node.arg(1) : "combined";
        LogFormat<Request> format = formats(ctx, block.enclosing(HTTP)).get(formatName);
        if (format == null) {
            throw Args.error(node, "unknown log format \"" + formatName + "\"");
        }
        io.tunnelgate.script.ComplexValue<Request> condition = null;
        for (int i = 2; i < node.argCount(); i++) {
            String p = node.arg(i);
            if (p.startsWith("buffer=") && Values.parseSize(p.substring(7)) > 0
                    || p.startsWith("flush=") && Values.parseTimeMillis(p.substring(6)) > 0) {
                // the log writer always batches; nginx's buffer and flush need no equivalent
                continue;
            }
            if (p.startsWith("if=")) {
                condition = HttpDirectives.compile(ctx, node, p.substring(3));
                continue;
            }
            throw Args.invalidParameter(node, p);
        }
        LogTarget target = open(ctx, node, node.arg(0));
        block.append(HttpSettings.ACCESS_LOGS, new HttpSettings.AccessLogEntry(new AccessLog(target, format, condition)));
    }

    private static void errorLog(LoadContext ctx, Block block, ConfigNode node) throws ConfigException {
        LogLevel level = LogLevel.ERROR;
        if (node.argCount() == 2) {
            level = LogLevel.parse(node.arg(1));
            if (level == null) {
                throw Args.error(node, "invalid log level \"" + node.arg(1) + "\"");
            }
        }
        LogTarget target = open(ctx, node, node.arg(0));
        block.append(HttpSettings.ERROR_LOGS, new ErrorLog.Entry(target, level));
    }

    private static LogTarget open(LoadContext ctx, ConfigNode node, String path) throws ConfigException {
        if (path.startsWith("syslog:") || path.startsWith("memory:")) {
            throw Args.error(node, "\"" + path.substring(0, path.indexOf(':')) + ":\" logging is not supported");
        }
        try {
            return ctx.service(LogWriter.class).open(path, ctx.prefix());
        } catch (IOException e) {
            throw Args.error(node, e.getMessage());
        }
    }
}
