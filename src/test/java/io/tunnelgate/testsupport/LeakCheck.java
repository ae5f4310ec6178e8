package io.tunnelgate.testsupport;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.util.ResourceLeakDetectorFactory;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.lang.ref.PhantomReference;
import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.util.List;

/**
 * Fails a test class when Netty reported a leaked resource ({@code LEAK:}) while it ran.
 *
 * <p>Registered for every test class through JUnit's extension auto-detection
 * ({@code META-INF/services/org.junit.jupiter.api.extension.Extension}); nothing to annotate. After a class's
 * {@code @AfterAll} methods have run (so its servers are stopped), it forces garbage collection and makes every
 * leak detector report, then throws an {@link AssertionError} carrying the full reports (with
 * {@code -Dio.netty.leakDetection.level=paranoid}, the allocation and access stack traces).
 *
 * <p>A test that wants leaks attributed to a single test method can call {@link #assertNoLeaks()} from its own
 * {@code @AfterEach}. The reports are JVM-wide, so attribution assumes test classes run one at a time (the
 * build's default); a leak whose buffer becomes garbage only after its class ended fails the next class checked.
 */
public final class LeakCheck implements AfterAllCallback {

    /** Rounds of GC + report; more than one so objects freed only after a first collection are seen too. */
    private static final int FLUSH_ROUNDS = 3;
    private static final int GC_ATTEMPTS = 5;
    private static final long GC_WAIT_MILLIS = 500;

    private static final RecordingDetectorFactory FACTORY = new RecordingDetectorFactory();

    static {
        // Runs when JUnit loads the extension, before any test class touches a ByteBuf (see RecordingDetectorFactory).
        ResourceLeakDetectorFactory.setResourceLeakDetectorFactory(FACTORY);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        verifyNoLeaks(context.getDisplayName());
    }

    /** Flushes pending leak reports and fails with their text if there is any since the last check. */
    public static void assertNoLeaks() {
        verifyNoLeaks("this test");
    }

    /**
     * Flushes, then throws an {@link AssertionError} naming {@code where} and holding every report stored since
     * the last check; the reports are consumed either way.
     */
    static void verifyNoLeaks(String where) {
        flush();
        List<String> leaks = drainLeaks();
        if (!leaks.isEmpty()) {
            throw new AssertionError(leaks.size() + " Netty resource leak report(s) while running " + where
                    + ":\n\n" + String.join("\n\n", leaks));
        }
    }

    /**
     * Makes leaks of objects that are already unreachable show up in the reports: collects garbage, waits until
     * the collector has processed references, then makes every detector report.
     */
    static void flush() {
        for (int round = 0; round < FLUSH_ROUNDS; round++) {
            awaitGc();
            FACTORY.flushAll();
            churnBuffers();
        }
    }

    /** Removes and returns every leak report recorded since the last drain. */
    static List<String> drainLeaks() {
        return LeakReports.drain();
    }

    /**
     * Runs {@link System#gc()} until a fresh unreachable sentinel is enqueued, proving that a collection ran and
     * the reference handler processed its references. Bounded; returns whether that was observed.
     */
    static boolean awaitGc() {
        ReferenceQueue<Object> queue = new ReferenceQueue<>();
        PhantomReference<Object> sentinel = new PhantomReference<>(new Object(), queue);
        try {
            for (int attempt = 0; attempt < GC_ATTEMPTS; attempt++) {
                System.gc();
                if (queue.remove(GC_WAIT_MILLIS) != null) {
                    return true;
                }
            }
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            Reference.reachabilityFence(sentinel);
        }
    }

    /**
     * Allocating tracked buffers makes the {@code ByteBuf} detector report, even if it was created before our
     * factory was installed (then its report reaches us through {@link LeakLogAppender}).
     */
    private static void churnBuffers() {
        PooledByteBufAllocator.DEFAULT.heapBuffer(16).release();
        PooledByteBufAllocator.DEFAULT.directBuffer(16).release();
        UnpooledByteBufAllocator.DEFAULT.heapBuffer(16).release();
        UnpooledByteBufAllocator.DEFAULT.directBuffer(16).release();
        ByteBufAllocator.DEFAULT.buffer(16).release();
    }
}
