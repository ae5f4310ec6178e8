package io.tunnelgate.limit;

import static org.assertj.core.api.Assertions.assertThat;

import io.tunnelgate.limit.ConnZone.Outcome;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** A limit_conn zone: counting per key, removal at zero, the bound, and use from several threads. */
class ConnZoneTest {
    @Test
    void aKeyHoldsUpToItsLimitAndGetsSlotsBack() {
        ConnZone zone = new ConnZone("perip", 16);
        assertThat(zone.acquire("a", 2)).isEqualTo(Outcome.TAKEN);
        assertThat(zone.acquire("a", 2)).isEqualTo(Outcome.TAKEN);
        assertThat(zone.acquire("a", 2)).isEqualTo(Outcome.LIMITED);
        assertThat(zone.acquire("b", 2)).isEqualTo(Outcome.TAKEN);
        assertThat(zone.held("a")).isEqualTo(2);
        zone.release("a");
        assertThat(zone.acquire("a", 2)).isEqualTo(Outcome.TAKEN);
    }

    @Test
    void aKeyWithNoSlotLeftIsRemovedAtOnce() {
        ConnZone zone = new ConnZone("perip", 16);
        zone.acquire("a", 5);
        zone.acquire("a", 5);
        assertThat(zone.size()).isEqualTo(1);
        zone.release("a");
        assertThat(zone.size()).isEqualTo(1);
        zone.release("a");
        assertThat(zone.size()).isZero();
        assertThat(zone.held("a")).isZero();
    }

    @Test
    void aFullZoneRefusesNewKeysButNotMoreSlotsOfKnownOnes() {
        ConnZone zone = new ConnZone("perip", 2);
        zone.acquire("a", 5);
        zone.acquire("b", 5);
        assertThat(zone.acquire("c", 5)).isEqualTo(Outcome.FULL);
        assertThat(zone.acquire("a", 5)).isEqualTo(Outcome.TAKEN);
        assertThat(zone.size()).isEqualTo(2);
        zone.release("b");
        assertThat(zone.acquire("c", 5)).isEqualTo(Outcome.TAKEN);
    }

    @Test
    void sizingFollowsNginxFigures() {
        assertThat(ConnZone.of("perip", 1 << 20).capacity()).isEqualTo(16_384);
        assertThat(ConnZone.of("perip", ZoneArg.MIN_SIZE).capacity()).isEqualTo(512);
    }

    @Test
    void concurrentAcquiresNeverExceedTheLimitAndAllReleasesEmptyTheZone() throws Exception {
        ConnZone zone = new ConnZone("perip", 1024);
        int threads = 4;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                results.add(pool.submit(() -> {
                    start.await();
                    int over = 0;
                    for (int i = 0; i < 5_000; i++) {
                        String key = "k" + (i % 8);
                        if (zone.acquire(key, 3) == Outcome.TAKEN) {
                            over += zone.held(key) > 3 ? 1 : 0;
                            zone.release(key);
                        }
                    }
                    return over;
                }));
            }
            start.countDown();
            for (Future<Integer> f : results) {
                assertThat(f.get()).isZero();
            }
            assertThat(zone.size()).isZero();
        } finally {
            pool.shutdownNow();
        }
    }
}
