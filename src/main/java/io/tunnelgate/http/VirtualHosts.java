package io.tunnelgate.http;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The servers that listen on one address:port and the choice among them by host name, in nginx's
 * order: exact name, longest leading wildcard ({@code *.example.com}, {@code .example.com}),
 * longest trailing wildcard ({@code www.example.*}), first matching regex ({@code ~...}) in config
 * order, and otherwise the default server.
 */
public final class VirtualHosts {
    private final ServerConf defaultServer;
    private final Map<String, ServerConf> exact = new HashMap<>();
    private final List<Wildcard> leading = new ArrayList<>();
    private final List<Wildcard> trailing = new ArrayList<>();
    private final List<RegexName> regexes = new ArrayList<>();

    private record Wildcard(String part, ServerConf server) {
    }

    private record RegexName(Pattern pattern, ServerConf server) {
    }

    /**
     * @param servers the servers listening here, in config order
     * @param defaultServer the one marked default_server, or else the first
     */
    public VirtualHosts(List<ServerConf> servers, ServerConf defaultServer) {
        this.defaultServer = defaultServer;
        for (ServerConf s : servers) {
            for (String name : s.names()) {
                add(name, s);
            }
        }
        leading.sort(Comparator.comparingInt((Wildcard w) -> w.part.length()).reversed());
        trailing.sort(Comparator.comparingInt((Wildcard w) -> w.part.length()).reversed());
    }

    private void add(String name, ServerConf s) {
        if (name.startsWith("~")) {
            regexes.add(new RegexName(Pattern.compile(name.substring(1)), s));
        } else if (name.startsWith("*.")) {
            leading.add(new Wildcard(name.substring(1), s));
        } else if (name.startsWith(".")) {
            exact.putIfAbsent(name.substring(1), s);
            leading.add(new Wildcard(name, s));
        } else if (name.endsWith(".*")) {
            trailing.add(new Wildcard(name.substring(0, name.length() - 1), s));
        } else {
            exact.putIfAbsent(name, s);
        }
    }

    public ServerConf defaultServer() {
        return defaultServer;
    }

    /**
     * The server for a host name (lowercase, without port); null or empty picks the server named
     * {@code ""} if any, else the default.
     */
    public ServerConf select(String host) {
        if (host == null) {
            host = "";
        }
        ServerConf s = exact.get(host);
        if (s != null) {
            return s;
        }
        if (host.isEmpty()) {
            return defaultServer;
        }
        for (Wildcard w : leading) {
            if (host.endsWith(w.part) && host.length() > w.part.length()) {
                return w.server;
            }
        }
        for (Wildcard w : trailing) {
            if (host.startsWith(w.part) && host.length() > w.part.length()) {
                return w.server;
            }
        }
        for (RegexName r : regexes) {
            if (r.pattern.matcher(host).find()) {
                return r.server;
            }
        }
        return defaultServer;
    }
}
