package io.tunnelgate.testsupport;

import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;
import io.netty.util.ResourceLeakTracker;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.WeakHashMap;

/**
 * Makes every Netty {@link ResourceLeakDetector} created after installation a {@link RecordingDetector}, which
 * stores its reports in {@link LeakReports} whatever the logging configuration is (tests may reconfigure
 * logging, e.g. the proxy's {@code error_log}), and remembers the detectors so {@link #flushAll()} can make each
 * one report its pending leaks.
 *
 * <p>Netty keeps its detectors in static fields created in class initialisers, so this must be installed before
 * the first {@code ByteBuf} class is initialised; {@link LeakCheck}'s static initialiser does that when JUnit
 * loads the extension, before any test class runs.
 */
final class RecordingDetectorFactory extends ResourceLeakDetectorFactory {

    /** Weak: some detectors (e.g. per-instance ones) may become garbage, and must not be kept alive by us. */
    private final Set<RecordingDetector<?>> detectors =
            Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));

    @Override
    @Deprecated
    public <T> ResourceLeakDetector<T> newResourceLeakDetector(Class<T> resource, int samplingInterval,
                                                               long maxActive) {
        return newResourceLeakDetector(resource, samplingInterval);
    }

    @Override
    public <T> ResourceLeakDetector<T> newResourceLeakDetector(Class<T> resource, int samplingInterval) {
        RecordingDetector<T> detector = new RecordingDetector<>(resource, samplingInterval);
        detectors.add(detector);
        return detector;
    }

    /** Makes every known detector drain its reference queue, reporting leaks whose objects were collected. */
    void flushAll() {
        List<RecordingDetector<?>> snapshot;
        synchronized (detectors) {
            snapshot = new ArrayList<>(detectors);
        }
        for (RecordingDetector<?> detector : snapshot) {
            detector.flushPending();
        }
    }

    /** A detector that always reports (even with logging off) and stores each report before logging it. */
    static final class RecordingDetector<T> extends ResourceLeakDetector<T> {

        RecordingDetector(Class<?> resourceType, int samplingInterval) {
            super(resourceType, samplingInterval);
        }

        /**
         * Netty reports pending leaks only when a new object is tracked; tracking and releasing a probe is the
         * public way to trigger that.
         */
        @SuppressWarnings("unchecked")
        void flushPending() {
            T probe = (T) new Object();
            ResourceLeakTracker<T> tracker = trackForcibly(probe);
            tracker.close(probe);
        }

        @Override
        protected boolean needReport() {
            return true;
        }

        @Override
        protected void reportTracedLeak(String resourceType, String records) {
            String report = "LEAK: " + resourceType + ".release() was not called before it's garbage-collected."
                    + records;
            LeakReports.fromDetector(report, () -> super.reportTracedLeak(resourceType, records));
        }

        @Override
        protected void reportUntracedLeak(String resourceType) {
            String report = "LEAK: " + resourceType + ".release() was not called before it's garbage-collected"
                    + " (untraced: run with -Dio.netty.leakDetection.level=paranoid to see where).";
            LeakReports.fromDetector(report, () -> super.reportUntracedLeak(resourceType));
        }
    }
}
