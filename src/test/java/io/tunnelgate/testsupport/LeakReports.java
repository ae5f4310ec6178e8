package io.tunnelgate.testsupport;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The JVM-wide store of Netty leak reports, fed by two hooks: {@link RecordingDetectorFactory}'s detectors
 * (primary) and {@link LeakLogAppender} (fallback for detectors created before the factory was installed or by
 * code that bypasses it).
 *
 * <p>A leak seen by a recording detector is also logged by Netty, and that log line reaches the appender on the
 * same thread; the thread-local flag lets the appender skip it so each leak is stored exactly once.
 */
final class LeakReports {

    private static final Queue<String> REPORTS = new ConcurrentLinkedQueue<>();
    private static final ThreadLocal<Boolean> REPORTING_FROM_DETECTOR = new ThreadLocal<>();

    private LeakReports() {
    }

    /** Stores {@code report}, then runs {@code log} (Netty's own logging) without the appender storing it again. */
    static void fromDetector(String report, Runnable log) {
        REPORTS.add(report);
        REPORTING_FROM_DETECTOR.set(Boolean.TRUE);
        try {
            log.run();
        } finally {
            REPORTING_FROM_DETECTOR.remove();
        }
    }

    /** Stores a {@code LEAK:} log message unless a recording detector is logging it right now on this thread. */
    static void fromLog(String message) {
        if (REPORTING_FROM_DETECTOR.get() == null) {
            REPORTS.add(message);
        }
    }

    /** Removes and returns every report stored so far, oldest first. */
    static List<String> drain() {
        List<String> drained = new ArrayList<>();
        for (String report; (report = REPORTS.poll()) != null; ) {
            drained.add(report);
        }
        return drained;
    }
}
