package io.tunnelgate.limit;

import static org.assertj.core.api.Assertions.assertThat;

import io.tunnelgate.limit.ReqZone.Lookup;
import io.tunnelgate.limit.ReqZone.Rc;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** A limit_req zone driven with explicit times (milliseconds), as nginx's lookup and expire behave. */
class ReqZoneTest {
    private static final long ONE_PER_SECOND = LeakyBucket.rate(1, false);
    private static final long ONE_PER_MINUTE = LeakyBucket.rate(1, true);

    @Test
    void withoutBurstTheSecondRequestWithinTheIntervalIsRefusedAndTheNextIntervalPasses() {
        ReqZone zone = new ReqZone("one", ONE_PER_SECOND, 64, 1);
        assertThat(zone.lookup("a", 0, true, 0)).isEqualTo(new Lookup(Rc.OK, 0, null));
        assertThat(zone.lookup("a", 0, true, 0)).isEqualTo(new Lookup(Rc.BUSY, 1000, null));
        // a refused request is not accounted: the bucket still holds 0 from t=0
        assertThat(zone.lookup("a", 0, true, 999)).isEqualTo(new Lookup(Rc.BUSY, 1, null));
        assertThat(zone.lookup("a", 0, true, 1000)).isEqualTo(new Lookup(Rc.OK, 0, null));
        // keys have buckets of their own
        assertThat(zone.lookup("b", 0, true, 1000).rc()).isEqualTo(Rc.OK);
    }

    @Test
    void burstLetsThatManyExtraRequestsInAndLeaksAtTheRate() {
        ReqZone zone = new ReqZone("one", ONE_PER_SECOND, 64, 1);
        long burst = 2 * LeakyBucket.ONE;
        assertThat(zone.lookup("a", burst, true, 0).excess()).isZero();
        assertThat(zone.lookup("a", burst, true, 0).excess()).isEqualTo(1000);
        assertThat(zone.lookup("a", burst, true, 0).excess()).isEqualTo(2000);
        assertThat(zone.lookup("a", burst, true, 0)).isEqualTo(new Lookup(Rc.BUSY, 3000, null));
        // 2000 - 500 + 1000
        assertThat(zone.lookup("a", burst, true, 500)).isEqualTo(new Lookup(Rc.BUSY, 2500, null));
        // 2000 - 1000 + 1000
        assertThat(zone.lookup("a", burst, true, 1000)).isEqualTo(new Lookup(Rc.OK, 2000, null));
    }

    @Test
    void eachLookupRoundsItsLeakDownAsNginxDoes() {
        ReqZone zone = new ReqZone("one", ONE_PER_MINUTE, 64, 1);
        long burst = 100 * LeakyBucket.ONE;
        zone.lookup("a", burst, true, 0);
        // 62 ms leak 16 * 62 / 1000 = 0, and the time moves on to 62 all the same (nginx loses that fraction)
        assertThat(zone.lookup("a", burst, true, 62).excess()).isEqualTo(1000);
        assertThat(zone.lookup("a", burst, true, 62).excess()).isEqualTo(2000);
        // 1000 ms after 62: 2000 - 16 + 1000
        assertThat(zone.lookup("a", burst, true, 1062).excess()).isEqualTo(2984);
    }

    @Test
    void aHeldEntryIsAccountedLaterAndAnUnlockedOneIsNot() {
        ReqZone zone = new ReqZone("one", ONE_PER_SECOND, 64, 1);
        Lookup first = zone.lookup("a", 5000, false, 0);
        assertThat(first.rc()).isEqualTo(Rc.AGAIN);
        assertThat(zone.account(first.held(), 0)).isZero();
        Lookup second = zone.lookup("a", 5000, false, 0);
        assertThat(second).extracting(Lookup::rc, Lookup::excess).containsExactly(Rc.AGAIN, 1000L);
        zone.unlock(second.held());
        // not accounted: still one request over at the same time
        Lookup third = zone.lookup("a", 5000, false, 0);
        assertThat(third.excess()).isEqualTo(1000);
        assertThat(zone.account(third.held(), 0)).isEqualTo(1000);
    }

    @Test
    void aFullZoneGivesUpItsLeastRecentlyUsedIdleEntry() {
        ReqZone zone = new ReqZone("one", ONE_PER_MINUTE, 3, 1);
        long burst = 10 * LeakyBucket.ONE;
        for (String k : List.of("a", "b", "c")) {
            zone.lookup(k, burst, true, 0);
        }
        // a is used again, so b is now the least recently used
        zone.lookup("a", burst, true, 10);
        assertThat(zone.lookup("d", burst, true, 20).rc()).isEqualTo(Rc.OK);
        assertThat(zone.size()).isEqualTo(3);
        // b was evicted: it starts afresh, while c still remembers its request
        assertThat(zone.lookup("b", burst, true, 30).excess()).isZero();
        assertThat(zone.lookup("d", burst, true, 30).excess()).isEqualTo(1000);
        assertThat(zone.size()).isEqualTo(3);
    }

    @Test
    void newKeysExpireUpToTwoIdleDrainedEntriesFirst() {
        ReqZone zone = new ReqZone("one", ONE_PER_SECOND, 10, 1);
        for (String k : List.of("a", "b", "c", "d")) {
            zone.lookup(k, 0, true, 0);
        }
        zone.lookup("e", 0, true, 59_000);
        assertThat(zone.size()).as("nothing idle for a minute yet").isEqualTo(5);
        zone.lookup("f", 0, true, 61_000);
        assertThat(zone.size()).as("a and b expired, f added").isEqualTo(4);
    }

    @Test
    void aFullZoneWhoseOldestEntryIsHeldRefusesNewKeys() {
        ReqZone zone = new ReqZone("one", ONE_PER_SECOND, 1, 1);
        Lookup held = zone.lookup("a", 0, false, 0);
        assertThat(zone.lookup("b", 0, true, 0).rc()).isEqualTo(Rc.ERROR);
        zone.unlock(held.held());
        assertThat(zone.lookup("b", 0, true, 0).rc()).isEqualTo(Rc.OK);
        assertThat(zone.size()).isEqualTo(1);
    }

    @Test
    void sizingFollowsNginxFigures() {
        ReqZone zone = ReqZone.of("one", ONE_PER_SECOND, 1 << 20);
        assertThat(zone.capacity()).isEqualTo(8192);
        assertThat(ReqZone.of("small", ONE_PER_SECOND, ZoneArg.MIN_SIZE).capacity()).isEqualTo(256);
        assertThat(ReqZone.stripesFor(256)).isEqualTo(4);
        assertThat(ReqZone.stripesFor(8192)).isEqualTo(16);
        assertThat(ReqZone.stripesFor(10)).isEqualTo(1);
    }

    @Test
    void manyKeysNeverGrowTheZoneBeyondItsCapacity() {
        ReqZone zone = ReqZone.of("one", ONE_PER_SECOND, ZoneArg.MIN_SIZE);
        for (int i = 0; i < 10_000; i++) {
            assertThat(zone.lookup("client-" + i, 0, true, i).rc()).isEqualTo(Rc.OK);
            if (i % 100 == 0) {
                assertThat(zone.size()).isLessThanOrEqualTo(zone.capacity());
            }
        }
        assertThat(zone.size()).isLessThanOrEqualTo(zone.capacity());
        assertThat(zone.size()).isGreaterThan(zone.capacity() / 2);
    }

    @Test
    void concurrentRequestsOfOneKeyAreEachAccountedOnce() throws Exception {
        ReqZone zone = ReqZone.of("one", ONE_PER_SECOND, 1 << 20);
        int threads = 4;
        int perThread = 2_000;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                results.add(pool.submit(() -> {
                    start.await();
                    int ok = 0;
                    for (int i = 0; i < perThread; i++) {
                        ok += zone.lookup("shared", Long.MAX_VALUE / 2, true, 0).rc() == Rc.OK ? 1 : 0;
                    }
                    return ok;
                }));
            }
            start.countDown();
            int ok = 0;
            for (Future<Integer> f : results) {
                ok += f.get();
            }
            assertThat(ok).isEqualTo(threads * perThread);
            // the time never moved: every request added exactly one
            assertThat(zone.lookup("shared", Long.MAX_VALUE / 2, true, 0).excess())
                    .isEqualTo((long) threads * perThread * LeakyBucket.ONE);
        } finally {
            pool.shutdownNow();
        }
    }
}
