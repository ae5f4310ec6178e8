package io.tunnelgate.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The cache of verified credentials: keys, expiry, coalescing, and a full pool. */
class VerifiedCacheTest {
    private final AtomicLong now = new AtomicLong(1_000);
    /** Holds tasks until the test runs them, so that it decides when a verification ends. */
    private final List<Runnable> queued = new ArrayList<>();
    private final Executor pool = queued::add;

    @Test
    void keysDependOnGenerationUserAndPasswordButHoldNoPlaintext() {
        String key = VerifiedCache.key(1, "alice", bytes("hunter2"));
        assertThat(key).doesNotContain("hunter2").isEqualTo(VerifiedCache.key(1, "alice", bytes("hunter2")));
        assertThat(VerifiedCache.key(2, "alice", bytes("hunter2"))).isNotEqualTo(key);
        assertThat(VerifiedCache.key(1, "alic", bytes("hunter2"))).isNotEqualTo(key);
        assertThat(VerifiedCache.key(1, "alice", bytes("hunter3"))).isNotEqualTo(key);
    }

    @Test
    void identicalVerificationsInFlightShareOneAndASuccessIsRemembered() {
        VerifiedCache cache = new VerifiedCache();
        AtomicInteger runs = new AtomicInteger();
        CompletableFuture<Boolean> first = cache.verify("k", () -> runs.incrementAndGet() > 0, pool, now::get);
        CompletableFuture<Boolean> second = cache.verify("k", () -> runs.incrementAndGet() > 0, pool, now::get);
        assertThat(second).isSameAs(first);
        assertThat(queued).hasSize(1);
        assertThat(cache.isVerified("k", now.get())).isFalse();
        queued.remove(0).run();
        assertThat(first).isCompletedWithValue(true);
        assertThat(runs).hasValue(1);
        assertThat(cache.isVerified("k", now.get())).isTrue();
        now.addAndGet(VerifiedCache.TTL_NANOS);
        assertThat(cache.isVerified("k", now.get())).as("expired").isFalse();
    }

    @Test
    void aFailureIsNotRememberedAndTheNextAttemptVerifiesAgain() {
        VerifiedCache cache = new VerifiedCache();
        CompletableFuture<Boolean> first = cache.verify("k", () -> false, pool, now::get);
        queued.remove(0).run();
        assertThat(first).isCompletedWithValue(false);
        assertThat(cache.isVerified("k", now.get())).isFalse();
        CompletableFuture<Boolean> again = cache.verify("k", () -> false, pool, now::get);
        assertThat(again).isNotSameAs(first);
        assertThat(queued).hasSize(1);
    }

    @Test
    void aFullPoolRefusesAndLeavesNothingInFlight() {
        VerifiedCache cache = new VerifiedCache();
        Executor full = task -> {
            throw new RejectedExecutionException("full");
        };
        assertThatThrownBy(() -> cache.verify("k", () -> true, full, now::get))
                .isInstanceOf(RejectedExecutionException.class);
        CompletableFuture<Boolean> later = cache.verify("k", () -> true, pool, now::get);
        queued.remove(0).run();
        assertThat(later).isCompletedWithValue(true);
    }

    @Test
    void theCacheStaysBounded() {
        VerifiedCache cache = new VerifiedCache();
        for (int i = 0; i <= VerifiedCache.MAX_ENTRIES; i++) {
            cache.verify("k" + i, () -> true, Runnable::run, now::get);
        }
        assertThat(cache.size()).isLessThanOrEqualTo(VerifiedCache.MAX_ENTRIES);
        assertThat(cache.isVerified("k" + VerifiedCache.MAX_ENTRIES, now.get())).isTrue();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }
}
