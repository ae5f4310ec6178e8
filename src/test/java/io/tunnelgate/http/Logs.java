package io.tunnelgate.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tunnelgate.testsupport.TestProxy;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Reads the log lines one step of a test added. Tests of a class share one proxy and run one
 * after another, so the lines after a {@link #mark} belong to what the test did since. Access-log
 * lines of kept-alive connections arrive shortly after the response, hence the waiting.
 */
final class Logs {
    static final String ACCESS = "access.log";
    static final String ERROR = "error.log";
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final Duration POLL = Duration.ofMillis(10);

    private final TestProxy proxy;
    private final int access;
    private final int error;

    private Logs(TestProxy proxy) {
        // lines of earlier exchanges may still be on their way: let them land before counting
        proxy.settleLogs(ACCESS);
        proxy.settleLogs(ERROR);
        this.proxy = proxy;
        this.access = proxy.lines(ACCESS).size();
        this.error = proxy.lines(ERROR).size();
    }

    /** Remembers how many lines both logs have now. */
    static Logs mark(TestProxy proxy) {
        return new Logs(proxy);
    }

    /** Waits for exactly one new access-log line and returns it. */
    String accessLine() {
        return accessLines(1).get(0);
    }

    /** Waits until {@code n} access-log lines were added and returns them (failing if more were). */
    List<String> accessLines(int n) {
        await().atMost(WAIT).pollDelay(Duration.ZERO).pollInterval(POLL)
                .until(() -> proxy.lines(ACCESS).size() >= access + n);
        List<String> added = newAccessLines();
        if (added.size() != n) {
            throw new AssertionError("expected " + n + " new access-log lines, got " + added);
        }
        return added;
    }

    /** The access-log lines added so far (no waiting). */
    List<String> newAccessLines() {
        List<String> all = proxy.lines(ACCESS);
        return all.subList(access, all.size());
    }

    /**
     * The one error-log line added so far, checked for nginx's shape: time, {@code [level]},
     * {@code pid#tid: *conn}, then {@code message} followed by nginx's context
     * ({@code , client: 127.0.0.1, server: ...}, possibly after a {@code while ...} part).
     */
    String errorLine(String level, String message) {
        List<String> lines = newErrorLines();
        if (lines.size() != 1) {
            throw new AssertionError("expected one new error-log line, got " + lines);
        }
        assertThat(lines.get(0)).matches("\\d{4}/\\d\\d/\\d\\d \\d\\d:\\d\\d:\\d\\d \\[" + level
                + "\\] \\d+#\\d+: \\*\\d+ " + Pattern.quote(message) + "( while [a-z ]+)?, client: 127\\.0\\.0\\.1, .*");
        return lines.get(0);
    }

    /**
     * The error-log lines added so far. No waiting is needed after a response was read and its
     * access line awaited: error lines are queued before the response goes out, and one writer
     * thread writes all logs in order.
     */
    List<String> newErrorLines() {
        List<String> all = proxy.lines(ERROR);
        return all.subList(error, all.size());
    }
}
