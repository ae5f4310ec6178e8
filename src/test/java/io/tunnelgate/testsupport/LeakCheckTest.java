package io.tunnelgate.testsupport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakTracker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Proves that {@link LeakCheck} sees leaks: each test leaks on purpose, drives the flush, checks the report and
 * consumes it, so this class itself passes the after-all check.
 */
class LeakCheckTest {

    private ResourceLeakDetector.Level savedLevel;

    @BeforeEach
    void paranoid() {
        // The pom sets paranoid already; setting it here keeps the test deterministic when run without the pom.
        savedLevel = ResourceLeakDetector.getLevel();
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
        assertThat(flushAndDrain()).as("leaks before this test").isEmpty();
    }

    @AfterEach
    void restore() {
        ResourceLeakDetector.setLevel(savedLevel);
    }

    @Test
    void recordsALeakedPooledBufferOnceWithItsAllocationSite() {
        leakPooledBuffer();

        List<String> leaks = flushAndDrain();

        assertThat(leaks).singleElement().satisfies(report -> assertThat(report)
                .startsWith("LEAK: ByteBuf.release() was not called")
                .contains("leakPooledBuffer"));
        assertThat(LeakCheck.drainLeaks()).as("drained").isEmpty();
    }

    @Test
    void nettysByteBufDetectorWasCreatedByTheRecordingFactory() throws Exception {
        // Guards the install order: if something initialised ByteBuf before JUnit loaded LeakCheck, only the
        // logging fallback would be left, and a test that reconfigures logging could hide leaks.
        Field detector = Class.forName("io.netty.buffer.AbstractByteBuf").getDeclaredField("leakDetector");
        detector.setAccessible(true);

        assertThat(detector.get(null)).isInstanceOf(RecordingDetectorFactory.RecordingDetector.class);
    }

    @Test
    void verifyFailsWithTheFullReport() {
        leakUnpooledDirectBuffer();

        assertThatThrownBy(() -> LeakCheck.verifyNoLeaks("LeakCheckTest"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("1 Netty resource leak report(s) while running LeakCheckTest")
                .hasMessageContaining("leakUnpooledDirectBuffer");
        assertThat(LeakCheck.drainLeaks()).as("consumed by the failed check").isEmpty();
        LeakCheck.verifyNoLeaks("LeakCheckTest after consuming");
    }

    @Test
    void releasedBuffersAreNotReported() {
        ByteBuf buf = PooledByteBufAllocator.DEFAULT.directBuffer(64).writeLong(1);
        buf.release();

        assertThat(flushAndDrain()).isEmpty();
    }

    @Test
    void logFallbackSeesDetectorsTheFactoryDidNotCreate() {
        // Built directly, as Netty's static detectors would be had they been created before LeakCheck loaded.
        ResourceLeakDetector<Object> foreign = new ResourceLeakDetector<>(Object.class, 1);
        trackAndDrop(foreign);

        List<String> leaks = new ArrayList<>();
        for (int round = 0; round < 5 && leaks.isEmpty(); round++) {
            LeakCheck.awaitGc();
            Object probe = new Object();
            foreign.trackForcibly(probe).close(probe);
            leaks.addAll(LeakCheck.drainLeaks());
        }

        assertThat(leaks).singleElement().satisfies(report -> assertThat(report)
                .startsWith("LEAK: Object.release() was not called")
                .contains("trackAndDrop"));
    }

    private static List<String> flushAndDrain() {
        LeakCheck.flush();
        return LeakCheck.drainLeaks();
    }

    private static void leakPooledBuffer() {
        PooledByteBufAllocator.DEFAULT.directBuffer(128).writeInt(42);
    }

    private static void leakUnpooledDirectBuffer() {
        UnpooledByteBufAllocator.DEFAULT.directBuffer(128).writeInt(7);
    }

    private static void trackAndDrop(ResourceLeakDetector<Object> detector) {
        ResourceLeakTracker<Object> tracker = detector.trackForcibly(new Object());
        tracker.record();
    }
}
