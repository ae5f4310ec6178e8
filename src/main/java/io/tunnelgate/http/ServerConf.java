package io.tunnelgate.http;

import io.tunnelgate.config.SourcePos;
import io.tunnelgate.resolve.ResolverSpec;
import java.util.List;

/**
 * One {@code server} block after merging with http-level values.
 *
 * @param names server_name entries as written ({@code ""} when none was given)
 * @param listens the server's listen directives
 * @param connectHandler the CONNECT content handler {@code proxy_connect} installed, or null
 * @param serverReturn a server-level {@code return}, run in the server-rewrite phase, or null
 * @param resolver the resolver for names, or null when none is configured
 * @param timeouts header/keep-alive timeouts and header buffer sizes
 */
public record ServerConf(List<String> names, List<ListenSpec> listens, ContentHandler connectHandler,
                         ReturnAction serverReturn, Locations locations, LevelConf level,
                         ResolverSpec resolver, ClientLimits timeouts, SourcePos pos) {
    public ServerConf {
        names = List.copyOf(names);
        listens = List.copyOf(listens);
    }

    /** The first server_name, which is {@code $server_name}. */
    public String name() {
        return names.isEmpty() ? "" : names.get(0);
    }
}
