package io.tunnelgate.http;

import io.tunnelgate.config.SourcePos;
import io.tunnelgate.resolve.ResolverSpec;
import io.tunnelgate.script.Op;
import java.util.List;

/**
 * One {@code server} block after merging with http-level values.
 *
 * @param names server_name entries as written ({@code ""} when none was given)
 * @param listens the server's listen directives
 * @param connectHandler the CONNECT content handler {@code proxy_connect} installed, or null
 * @param rewrite the server's rewrite program (server-rewrite phase)
 * @param access allow/deny, satisfy and authentication for requests that use the server's own
 *     configuration (CONNECT, and requests that match no location)
 * @param defaultHandler what serves a request that matches no location (nginx's static files)
 * @param resolver the resolver for names, or null when none is configured
 * @param timeouts header/keep-alive timeouts and header buffer sizes
 */
public record ServerConf(List<String> names, List<ListenSpec> listens, ContentHandler connectHandler,
                         List<Op<Request>> rewrite, AccessConf access, ContentHandler defaultHandler,
                         Locations locations, LevelConf level, ResolverSpec resolver, ClientLimits timeouts,
                         SourcePos pos) {
    public ServerConf {
        names = List.copyOf(names);
        listens = List.copyOf(listens);
        rewrite = List.copyOf(rewrite);
    }

    /** The first server_name, which is {@code $server_name}. */
    public String name() {
        return names.isEmpty() ? "" : names.get(0);
    }
}
