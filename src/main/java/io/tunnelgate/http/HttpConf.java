package io.tunnelgate.http;

import io.tunnelgate.resolve.ResolverSpec;
import java.util.List;

/**
 * The http block after loading: its servers, the listen addresses with the servers on each, and
 * every resolver a level uses (built at start, since building one reads files).
 */
public record HttpConf(List<ServerConf> servers, List<ListenGroup> listens, List<ResolverSpec> resolvers) {
    public HttpConf {
        servers = List.copyOf(servers);
        listens = List.copyOf(listens);
        resolvers = List.copyOf(resolvers);
    }

    /** An http section with no servers (a config without {@code http}). */
    public static HttpConf empty() {
        return new HttpConf(List.of(), List.of(), List.of());
    }
}
