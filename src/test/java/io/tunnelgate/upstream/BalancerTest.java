package io.tunnelgate.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import io.tunnelgate.config.SourcePos;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@link Balancer} against nginx 1.26's round-robin: the smooth weighted sequence, max_fails and
 * fail_timeout with an injected clock, backup peers, the lone peer, down peers, tries, and one
 * state per thread.
 */
class BalancerTest {
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);
    /** An arbitrary clock origin, far from 0, as System.nanoTime() may be. */
    private static final long T0 = -7_000_000_000_000L;

    private static Peer peer(int port, int weight, int maxFails, long failTimeoutMs, boolean backup, boolean down) {
        InetSocketAddress a = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
        return new Peer(Peer.nameOf(a), a, weight, maxFails, failTimeoutMs, backup, down);
    }

    private static Peer primary(int port, int weight) {
        return peer(port, weight, 1, 10_000, false, false);
    }

    private static UpstreamGroup group(Peer... peers) {
        return new UpstreamGroup("g", List.of(peers), KeepaliveConf.NONE, false, new SourcePos(Path.of("t.conf"), 1));
    }

    /** The peers of {@code n} requests that each take their first pick and succeed. */
    private static List<Integer> sequence(Balancer b, int n, long now) {
        List<Integer> ports = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Peer p = b.pick(now, b.newTried());
            ports.add(p == null ? null : p.address().getPort());
            if (p != null) {
                b.succeeded(p);
            }
        }
        return ports;
    }

    @Test
    void weights511GiveNginxsSmoothSequence() {
        Balancer b = new Balancer(group(primary(1, 5), primary(2, 1), primary(3, 1)));
        assertThat(sequence(b, 14, T0)).containsExactly(1, 1, 2, 1, 3, 1, 1, 1, 1, 2, 1, 3, 1, 1);
    }

    @Test
    void equalWeightsTakeTurns() {
        Balancer b = new Balancer(group(primary(1, 1), primary(2, 1), primary(3, 1)));
        assertThat(sequence(b, 6, T0)).containsExactly(1, 2, 3, 1, 2, 3);
    }

    @Test
    void oneRequestNeverPicksAPeerTwice() {
        Balancer b = new Balancer(group(primary(1, 5), primary(2, 1)));
        Tried tried = b.newTried();
        assertThat(b.pick(T0, tried).address().getPort()).isEqualTo(1);
        assertThat(b.pick(T0, tried).address().getPort()).isEqualTo(2);
        assertThat(b.pick(T0, tried)).as("every peer tried: no live upstreams").isNull();
        assertThat(b.tries()).isEqualTo(2);
    }

    @Test
    void aFailedOutPeerIsSkippedUntilFailTimeoutPasses() {
        Peer a = peer(1, 1, 2, 10_000, false, false);
        Peer c = peer(2, 1, 2, 10_000, false, false);
        Balancer b = new Balancer(group(a, c));
        b.failed(a, T0);
        assertThat(sequence(b, 4, T0 + SECOND)).as("one failure of max_fails=2: still used").contains(1);
        b.failed(a, T0 + 2 * SECOND);
        assertThat(sequence(b, 4, T0 + 3 * SECOND)).as("max_fails reached").containsOnly(2);
        assertThat(sequence(b, 4, T0 + 12 * SECOND)).as("still within fail_timeout of the last failure")
                .containsOnly(2);
        Tried tried = b.newTried();
        Peer probe;
        do {
            probe = b.pick(T0 + 13 * SECOND, tried);
        } while (probe != a && probe != null);
        assertThat(probe).as("fail_timeout passed: tried again").isSameAs(a);
        b.succeeded(a);
        assertThat(sequence(b, 4, T0 + 13 * SECOND)).as("the success cleared its failures").contains(1, 2);
    }

    @Test
    void aFailureOfTheProbeTakesThePeerOutAgain() {
        Peer a = peer(1, 1, 1, 10_000, false, false);
        Peer c = peer(2, 1, 1, 10_000, false, false);
        Balancer b = new Balancer(group(a, c));
        b.failed(a, T0);
        assertThat(sequence(b, 3, T0 + 5 * SECOND)).containsOnly(2);
        Tried tried = b.newTried();
        Peer probe = b.pick(T0 + 11 * SECOND, tried);
        if (probe != a) {
            probe = b.pick(T0 + 11 * SECOND, tried);
        }
        assertThat(probe).isSameAs(a);
        b.failed(a, T0 + 11 * SECOND);
        assertThat(sequence(b, 3, T0 + 12 * SECOND)).containsOnly(2);
    }

    @Test
    void aSuccessWithinFailTimeoutDoesNotClearFailures() {
        Peer a = peer(1, 1, 2, 10_000, false, false);
        Peer c = peer(2, 1, 2, 10_000, false, false);
        Balancer b = new Balancer(group(a, c));
        b.failed(a, T0);
        b.succeeded(a);
        b.failed(a, T0 + SECOND);
        assertThat(sequence(b, 4, T0 + 2 * SECOND)).as("two failures within 10s").containsOnly(2);
    }

    @Test
    void maxFailsZeroNeverTakesAPeerOut() {
        Peer a = peer(1, 1, 0, 10_000, false, false);
        Peer c = peer(2, 1, 0, 10_000, false, false);
        Balancer b = new Balancer(group(a, c));
        for (int i = 0; i < 5; i++) {
            b.failed(a, T0);
        }
        assertThat(sequence(b, 4, T0 + SECOND)).containsExactly(1, 2, 1, 2);
    }

    @Test
    void backupPeersAreUsedOnlyWhenNoPrimaryIs() {
        Peer a = primary(1, 1);
        Peer c = primary(2, 1);
        Peer x = peer(8, 1, 1, 10_000, true, false);
        Peer y = peer(9, 1, 1, 10_000, true, false);
        Balancer b = new Balancer(group(a, x, c, y));
        assertThat(sequence(b, 4, T0)).containsExactly(1, 2, 1, 2);
        assertThat(b.tries()).isEqualTo(4);
        Tried tried = b.newTried();
        List<Integer> oneRequest = new ArrayList<>();
        for (Peer p = b.pick(T0, tried); p != null; p = b.pick(T0, tried)) {
            oneRequest.add(p.address().getPort());
        }
        assertThat(oneRequest).as("primaries first, then the backups").containsExactly(1, 2, 8, 9);
        b.failed(a, T0);
        b.failed(c, T0);
        assertThat(sequence(b, 4, T0 + SECOND)).as("the backups take turns").containsExactly(9, 8, 9, 8);
    }

    @Test
    void aLonePeerIsAlwaysReturnedAndItsFailuresAreNotCounted() {
        Peer a = primary(1, 1);
        Balancer b = new Balancer(group(a));
        for (int i = 0; i < 3; i++) {
            b.failed(a, T0);
        }
        assertThat(sequence(b, 3, T0 + SECOND)).containsExactly(1, 1, 1);
        assertThat(b.tries()).isEqualTo(1);
        Tried tried = b.newTried();
        assertThat(b.pick(T0, tried)).isSameAs(a);
        assertThat(b.pick(T0, tried)).as("nginx makes no second try after a lone peer").isNull();
    }

    @Test
    void aLonePrimaryWithBackupsIsStillOneTry() {
        Balancer b = new Balancer(group(primary(1, 1), peer(9, 1, 1, 10_000, true, false)));
        assertThat(b.tries()).isEqualTo(1);
        assertThat(sequence(b, 2, T0)).containsExactly(1, 1);
    }

    @Test
    void downPeersAreSkipped() {
        Peer gone = peer(1, 5, 1, 10_000, false, true);
        Balancer b = new Balancer(group(gone, primary(2, 1), primary(3, 1)));
        assertThat(sequence(b, 4, T0)).containsExactly(2, 3, 2, 3);
        assertThat(b.tries()).isEqualTo(2);
        Balancer lone = new Balancer(group(peer(1, 1, 1, 10_000, false, true), peer(9, 1, 1, 10_000, true, false)));
        assertThat(sequence(lone, 2, T0)).as("a down lone primary: the backup").containsExactly(9, 9);
        Balancer none = new Balancer(group(peer(1, 1, 1, 10_000, false, true), peer(2, 1, 1, 10_000, false, true)));
        assertThat(none.pick(T0, none.newTried())).isNull();
        assertThat(none.tries()).isZero();
    }

    @Test
    void implicitGroupsUseNginxsDefaults() {
        UpstreamGroup g = UpstreamGroup.implicit("h", List.of(new InetSocketAddress("127.0.0.1", 81),
                new InetSocketAddress("::1", 82)), null);
        assertThat(g.peers()).extracting(Peer::name).containsExactly("127.0.0.1:81", "[::1]:82");
        assertThat(g.peers()).allSatisfy(p -> {
            assertThat(p.weight()).isEqualTo(1);
            assertThat(p.maxFails()).isEqualTo(1);
            assertThat(p.failTimeoutMs()).isEqualTo(10_000);
            assertThat(p.backup() || p.down()).isFalse();
        });
        assertThat(g.implicit()).isTrue();
        assertThat(g.keepalive().connections()).isZero();
    }

    @Test
    void eachThreadHasItsOwnStateAndGroupsAreKeyedByIdentity() throws Exception {
        UpstreamGroup g = group(primary(1, 1), primary(2, 1));
        UpstreamGroup twin = group(g.peers().toArray(new Peer[0]));
        Balancer mine = Balancer.of(g);
        assertThat(Balancer.of(g)).isSameAs(mine);
        assertThat(Balancer.of(twin)).as("an equal group is another group").isNotSameAs(mine);
        assertThat(mine.pick(T0, mine.newTried()).address().getPort()).isEqualTo(1);
        Balancer other = CompletableFuture.supplyAsync(() -> Balancer.of(g)).get(10, TimeUnit.SECONDS);
        assertThat(other).isNotSameAs(mine);
        assertThat(other.pick(T0, other.newTried()).address().getPort()).as("fresh state").isEqualTo(1);
    }
}
