package io.tunnelgate.http;

import java.util.List;

/**
 * The http block after loading: its servers, and the listen addresses with the servers on each.
 */
public record HttpConf(List<ServerConf> servers, List<ListenGroup> listens) {
    public HttpConf {
        servers = List.copyOf(servers);
        listens = List.copyOf(listens);
    }

    /** An http section with no servers (a config without {@code http}). */
    public static HttpConf empty() {
        return new HttpConf(List.of(), List.of());
    }
}
