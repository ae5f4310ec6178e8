package io.tunnelgate.upstream;

import io.tunnelgate.config.ConfigException;
import io.tunnelgate.config.ConfigNode;
import io.tunnelgate.config.SourcePos;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** One {@code upstream { }} block while its directives load; {@link #build} checks and freezes it. */
final class GroupBuilder {
    private final String name;
    private final SourcePos pos;
    private final List<Peer> peers = new ArrayList<>();
    private final Set<String> seen = new HashSet<>();
    private int servers;
    int connections;
    long timeoutMs = KeepaliveConf.DEFAULT_TIMEOUT_MS;
    int requests = KeepaliveConf.DEFAULT_REQUESTS;
    long timeMs = KeepaliveConf.DEFAULT_TIME_MS;

    GroupBuilder(String name, SourcePos pos) {
        this.name = name;
        this.pos = pos;
    }

    String name() {
        return name;
    }

    /**
     * Notes a directive that may appear once per block.
     *
     * @throws ConfigException {@code "x" directive is duplicate}
     */
    void once(ConfigNode node) throws ConfigException {
        if (!seen.add(node.name())) {
            throw new ConfigException("\"" + node.name() + "\" directive is duplicate", node.pos());
        }
    }

    /** The peers of one {@code server} line. */
    void addServer(List<Peer> linePeers) {
        servers++;
        peers.addAll(linePeers);
    }

    /**
     * The group, with nginx's two checks on its servers: none at all (at the end of the block in
     * nginx; at the {@code upstream} line here, as the loader keeps no closing line) and none that
     * is not a backup (nginx's round-robin init, at the {@code upstream} line).
     */
    UpstreamGroup build() throws ConfigException {
        if (servers == 0) {
            throw new ConfigException("no servers are inside upstream", pos);
        }
        if (peers.stream().allMatch(Peer::backup)) {
            throw new ConfigException("no servers in upstream \"" + name + "\"", pos);
        }
        return new UpstreamGroup(name, peers, new KeepaliveConf(connections, timeoutMs, requests, timeMs), false, pos);
    }
}
