package io.tunnelgate.auth;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * Credentials of one user file verified recently, so that a client opening its hundredth tunnel
 * costs a map lookup rather than a bcrypt, and the verifications in progress, so that identical
 * credentials arriving together (a browser opening six tunnels at once) share one.
 *
 * <p>Keys hold the file's generation, the user and a SHA-256 of the password with a random
 * per-process prefix: the plaintext is never stored, and a memory dump does not give a digest
 * that a precomputed table reverses. Only successes are kept; wrong passwords are verified each
 * time, as a cache of them would help nobody but an attacker guessing.
 *
 * <p>Thread-safe: read on event loops, written from the verification pool.
 */
final class VerifiedCache {
    /** How long a verified password is taken without hashing again. */
    static final long TTL_NANOS = TimeUnit.SECONDS.toNanos(60);
    /** Entries kept at most; beyond, expired entries go, then all (a burst of distinct users). */
    static final int MAX_ENTRIES = 4096;
    private static final byte[] PEPPER = new byte[16];

    static {
        new SecureRandom().nextBytes(PEPPER);
    }

    private final ConcurrentHashMap<String, Long> verified = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, CompletableFuture<Boolean>> inFlight = new ConcurrentHashMap<>();

    /** The cache key of a user's password in one generation of the file. */
    static String key(long generation, String user, byte[] password) {
        byte[] peppered = new byte[PEPPER.length + password.length];
        System.arraycopy(PEPPER, 0, peppered, 0, PEPPER.length);
        System.arraycopy(password, 0, peppered, PEPPER.length, password.length);
        String digest = Base64.getEncoder().withoutPadding().encodeToString(PasswordHash.sha256(peppered));
        Arrays.fill(peppered, (byte) 0);
        // the user's bytes are ISO-8859-1 text; the length prefix keeps "a"+"b:c" apart from "a:b"+"c"
        return generation + ":" + user.length() + ":" + user + ":" + digest;
    }

    /** Whether {@code key} was verified less than {@link #TTL_NANOS} ago. */
    boolean isVerified(String key, long nowNanos) {
        Long expires = verified.get(key);
        return expires != null && expires - nowNanos > 0;
    }

    /**
     * Verifies on {@code pool}, sharing a verification already in progress for the same key; a
     * success is remembered before the future completes, so later arrivals find it.
     *
     * @throws RejectedExecutionException when the pool's queue is full
     */
    CompletableFuture<Boolean> verify(String key, BooleanSupplier check, Executor pool, LongSupplier nanoTime) {
        CompletableFuture<Boolean> mine = new CompletableFuture<>();
        CompletableFuture<Boolean> running = inFlight.putIfAbsent(key, mine);
        if (running != null) {
            return running;
        }
        try {
            pool.execute(() -> run(key, check, nanoTime, mine));
        } catch (RejectedExecutionException e) {
            inFlight.remove(key, mine);
            throw e;
        }
        return mine;
    }

    private void run(String key, BooleanSupplier check, LongSupplier nanoTime, CompletableFuture<Boolean> result) {
        try {
            boolean ok = check.getAsBoolean();
            if (ok) {
                put(key, nanoTime.getAsLong());
            }
            inFlight.remove(key, result);
            result.complete(ok);
        } catch (RuntimeException e) {
            inFlight.remove(key, result);
            result.completeExceptionally(e);
        }
    }

    private void put(String key, long nowNanos) {
        if (verified.size() >= MAX_ENTRIES) {
            for (Iterator<Map.Entry<String, Long>> it = verified.entrySet().iterator(); it.hasNext(); ) {
                if (it.next().getValue() - nowNanos <= 0) {
                    it.remove();
                }
            }
            if (verified.size() >= MAX_ENTRIES) {
                verified.clear();
            }
        }
        verified.put(key, nowNanos + TTL_NANOS);
    }

    /** Forgets everything (the file changed: its generation's entries can never match again). */
    void clear() {
        verified.clear();
    }

    /** Entries kept (for tests). */
    int size() {
        return verified.size();
    }
}
