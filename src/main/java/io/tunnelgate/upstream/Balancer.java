package io.tunnelgate.upstream;

import io.netty.util.concurrent.FastThreadLocal;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

/**
 * nginx's round-robin balancer (ngx_http_upstream_round_robin) for one group on one event loop:
 * smooth weighted round-robin over the primary peers, {@code max_fails}/{@code fail_timeout}
 * accounting, and the backup peers when no primary can be used.
 *
 * <p>Not thread-safe by design: {@link #of} gives each thread its own instance, so the state is
 * only touched by the loop that serves the request, as nginx's state belongs to one worker. Times
 * are {@link System#nanoTime()} values passed in, so tests can drive the clock.
 */
public final class Balancer {
    /**
     * Each thread's balancers. Weak keys (groups compare by identity) let the balancers of a
     * replaced configuration go with it; a balancer holds its peers, never its group.
     */
    private static final FastThreadLocal<Map<UpstreamGroup, Balancer>> BALANCERS = new FastThreadLocal<>() {
        @Override
        protected Map<UpstreamGroup, Balancer> initialValue() {
            return new WeakHashMap<>();
        }
    };

    private final Peer[] peers;
    private final int[] primary;
    private final int[] backup;
    /** nginx's {@code current_weight}, {@code effective_weight}, {@code fails}, {@code accessed}, {@code checked}. */
    private final int[] current;
    private final int[] effective;
    private final int[] fails;
    private final long[] accessed;
    private final long[] checked;

    Balancer(UpstreamGroup g) {
        List<Peer> list = g.peers();
        int n = list.size();
        this.peers = list.toArray(new Peer[0]);
        this.primary = indexes(list, false);
        this.backup = indexes(list, true);
        this.current = new int[n];
        this.effective = new int[n];
        this.fails = new int[n];
        this.accessed = new long[n];
        this.checked = new long[n];
        for (int i = 0; i < n; i++) {
            effective[i] = peers[i].weight();
        }
    }

    /** The current thread's balancer for {@code g}, made on first use. */
    public static Balancer of(UpstreamGroup g) {
        return BALANCERS.get().computeIfAbsent(g, Balancer::new);
    }

    /** An empty set of tried peers for one request. */
    public Tried newTried() {
        return new Tried(peers.length);
    }

    /**
     * nginx's default number of tries per request ({@code proxy_next_upstream_tries 0}): the
     * primary and backup peers that are not {@code down}; 1 when the group has a single primary
     * peer that is not down, because nginx makes no further try after such a peer (it never fails
     * it out either).
     */
    public int tries() {
        if (primary.length == 1 && !peers[primary[0]].down()) {
            return 1;
        }
        return live(primary) + live(backup);
    }

    /**
     * The peer for the next try, marked in {@code tried}; null when no peer is usable (the engine
     * answers 502, nginx's "no live upstreams"). A single primary peer is returned whatever its
     * failures, unless it is down or already tried; backup peers are used only when no primary can be.
     */
    public Peer pick(long nowNanos, Tried tried) {
        if (primary.length == 1 && !peers[primary[0]].down()) {
            return once(primary[0], tried);
        }
        Peer p = best(primary, nowNanos, tried);
        if (p != null || backup.length == 0) {
            return p;
        }
        if (backup.length == 1) {
            return peers[backup[0]].down() ? null : once(backup[0], tried);
        }
        return best(backup, nowNanos, tried);
    }

    /**
     * Counts a failed try of {@code p} (connect error, timeout, or a response that
     * proxy_next_upstream treats as failure): after {@code maxFails} of them within
     * {@code failTimeout} the peer is skipped for {@code failTimeout}, and its effective weight
     * drops meanwhile. Failures of the only peer of its set are not counted, as in nginx.
     */
    public void failed(Peer p, long nowNanos) {
        int i = indexOf(p);
        if (alone(i)) {
            return;
        }
        fails[i]++;
        accessed[i] = nowNanos;
        checked[i] = nowNanos;
        if (p.maxFails() > 0) {
            effective[i] = Math.max(0, effective[i] - p.weight() / p.maxFails());
        }
    }

    /**
     * Counts a successful try of {@code p}: its failures are forgotten if it was picked after
     * {@code failTimeout} had passed since its last failure (nginx's "mark peer live if check passed").
     */
    public void succeeded(Peer p) {
        int i = indexOf(p);
        if (!alone(i) && checked[i] - accessed[i] > 0) {
            fails[i] = 0;
        }
    }

    private Peer once(int i, Tried tried) {
        if (tried.contains(i)) {
            return null;
        }
        tried.add(i);
        return peers[i];
    }

    /** ngx_http_upstream_get_peer: the usable peer with the highest current weight. */
    private Peer best(int[] set, long now, Tried tried) {
        int best = -1;
        int total = 0;
        for (int i : set) {
            Peer p = peers[i];
            if (tried.contains(i) || p.down() || failedOut(i, p, now)) {
                continue;
            }
            current[i] += effective[i];
            total += effective[i];
            if (effective[i] < p.weight()) {
                effective[i]++;
            }
            if (best < 0 || current[i] > current[best]) {
                best = i;
            }
        }
        if (best < 0) {
            return null;
        }
        tried.add(best);
        current[best] -= total;
        // the first pick after fail_timeout is the probe whose success clears the failures
        if (now - checked[best] > timeoutNanos(peers[best])) {
            checked[best] = now;
        }
        return peers[best];
    }

    private boolean failedOut(int i, Peer p, long now) {
        return p.maxFails() > 0 && fails[i] >= p.maxFails() && now - checked[i] <= timeoutNanos(p);
    }

    private boolean alone(int i) {
        return peers[i].backup() ? backup.length == 1 : primary.length == 1;
    }

    private int indexOf(Peer p) {
        for (int i = 0; i < peers.length; i++) {
            if (peers[i] == p) {
                return i;
            }
        }
        throw new IllegalArgumentException("peer " + p.name() + " is not in this group");
    }

    private int live(int[] set) {
        int n = 0;
        for (int i : set) {
            if (!peers[i].down()) {
                n++;
            }
        }
        return n;
    }

    private static long timeoutNanos(Peer p) {
        return TimeUnit.MILLISECONDS.toNanos(p.failTimeoutMs());
    }

    private static int[] indexes(List<Peer> list, boolean backup) {
        return IntStream.range(0, list.size())
                .filter(i -> list.get(i).backup() == backup).toArray();
    }
}
