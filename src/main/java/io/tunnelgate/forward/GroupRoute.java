package io.tunnelgate.forward;

import io.tunnelgate.upstream.Balancer;
import io.tunnelgate.upstream.KeepaliveConf;
import io.tunnelgate.upstream.Peer;
import io.tunnelgate.upstream.Tried;
import io.tunnelgate.upstream.UpstreamGroup;
import java.net.InetSocketAddress;

/**
 * The peers of an upstream group for one request, chosen by the event loop's round-robin
 * {@link Balancer}, at most as many as nginx would try, with the group's keep-alive limits.
 */
final class GroupRoute implements Route {
    private final Balancer balancer;
    private final Tried tried;
    private final PoolLimits pool;
    private int left;
    private Peer current;

    GroupRoute(UpstreamGroup group) {
        this.balancer = Balancer.of(group);
        this.tried = balancer.newTried();
        this.left = balancer.tries();
        KeepaliveConf k = group.keepalive();
        this.pool = k.connections() > 0
                ? new PoolLimits(k.connections(), k.timeoutMs(), k.requests(), k.timeMs() * 1_000_000L)
                : new PoolLimits(PoolLimits.DEFAULT.idle(), k.timeoutMs(), k.requests(), k.timeMs() * 1_000_000L);
    }

    @Override
    public InetSocketAddress next(long nowNanos) {
        if (left-- <= 0) {
            return null;
        }
        current = balancer.pick(nowNanos, tried);
        return current == null ? null : current.address();
    }

    @Override
    public void failed(long nowNanos) {
        balancer.failed(current, nowNanos);
    }

    @Override
    public void succeeded() {
        balancer.succeeded(current);
    }

    @Override
    public PoolLimits pool() {
        return pool;
    }
}
