package io.tunnelgate.upstream;

import io.tunnelgate.config.SourcePos;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * A group of upstream servers: an {@code upstream name { }} block, or the group nginx makes for
 * {@code proxy_pass http://host:port} when no block has that name.
 *
 * <p>Equality is identity, unlike other records: a group is the key of its per-loop
 * {@link Balancer}, and two blocks with equal contents are still two groups with two states.
 *
 * @param name the block's name, or the host of an implicit group (nginx's name for the group in
 *     {@code $upstream_addr} when no peer is live)
 * @param peers every peer in config order, backup peers included
 * @param keepalive the idle-connection cache settings
 * @param implicit true for a group made from a {@code proxy_pass} URL
 * @param pos the {@code upstream} line, or the {@code proxy_pass} line of an implicit group
 */
public record UpstreamGroup(String name, List<Peer> peers, KeepaliveConf keepalive, boolean implicit,
                            SourcePos pos) {
    static final long IMPLICIT_FAIL_TIMEOUT_MS = 10_000;

    /** Copies the peer list so the group is immutable. */
    public UpstreamGroup {
        peers = List.copyOf(peers);
    }

    /**
     * The group nginx makes for {@code proxy_pass http://host:port} without an upstream block: one
     * peer per resolved address, weight 1, max_fails 1, fail_timeout 10s, no keepalive.
     */
    public static UpstreamGroup implicit(String name, List<InetSocketAddress> addresses, SourcePos pos) {
        List<Peer> peers = new ArrayList<>(addresses.size());
        for (InetSocketAddress a : addresses) {
            peers.add(new Peer(Peer.nameOf(a), a, 1, 1, IMPLICIT_FAIL_TIMEOUT_MS, false, false));
        }
        return new UpstreamGroup(name, peers, KeepaliveConf.NONE, true, pos);
    }

    @Override
    public boolean equals(Object o) {
        return this == o;
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(this);
    }
}
