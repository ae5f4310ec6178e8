package io.tunnelgate.log;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** nginx's error-log line format, and level filtering over several targets. */
class ErrorLogTest {

    /** 2026-11-23T08:42:00Z. */
    private static final LogClock CLOCK = new LogClock(() -> 1_795_423_320_000L, ZoneOffset.UTC);
    private static final String PID = Long.toString(ProcessHandle.current().pid());

    @TempDir
    Path dir;

    /** A target that records lines instead of writing them. */
    private static final class Recorder implements LogTarget {
        final List<String> lines = new ArrayList<>();

        @Override
        public void append(byte[] line) {
            lines.add(new String(line, ISO_8859_1));
        }

        @Override
        public void append(byte[] line, Executor executor, Runnable whenWritten) {
            append(line);
            executor.execute(whenWritten);
        }

        @Override
        public void appendSoon(byte[] line) {
            append(line);
        }

        @Override
        public String name() {
            return "recorder";
        }
    }

    private record Ctx(String client, String server, String request, String upstream, String host, String action)
            implements ErrorContext {
    }

    private static final Pattern HEAD = Pattern.compile("2026/11/23 08:42:00 \\[(\\w+)\\] " + PID + "#\\d+: ");

    /** The line without its time/level/pid#tid head, which is checked separately. */
    private static String body(String line) {
        assertThat(line).containsPattern(HEAD).endsWith("\n");
        return HEAD.matcher(line).replaceFirst("");
    }

    @Test
    void fullContextLine() {
        Recorder r = new Recorder();
        ErrorLog log = ErrorLog.of(r, LogLevel.ERROR, CLOCK);
        log.log(LogLevel.ERROR, 7, "proxy_connect: upstream connect failed (111: Connection refused)",
                new Ctx("127.0.0.1", "example.com", "CONNECT a:443 HTTP/1.1", "127.0.0.1:8081", "a:443",
                        "connecting to upstream"));
        assertThat(r.lines).singleElement().satisfies(line -> {
            assertThat(line).startsWith("2026/11/23 08:42:00 [error] " + PID + "#");
            assertThat(body(line)).isEqualTo("*7 proxy_connect: upstream connect failed (111: Connection refused)"
                    + " while connecting to upstream, client: 127.0.0.1, server: example.com,"
                    + " request: \"CONNECT a:443 HTTP/1.1\", upstream: \"127.0.0.1:8081\", host: \"a:443\"\n");
        });
    }

    @Test
    void optionalPartsAreLeftOut() {
        Recorder r = new Recorder();
        ErrorLog log = ErrorLog.of(r, LogLevel.DEBUG, CLOCK);
        log.log(LogLevel.INFO, 3, "client sent invalid request", new Ctx("::1", "", null, null, null, null));
        log.log(LogLevel.WARN, 0, "no connection", new Ctx("127.0.0.9", "s", "GET / HTTP/1.1", null, "h", null));
        log.log(LogLevel.NOTICE, 0, "signal process started", null);
        log.log(LogLevel.ALERT, "plain");
        assertThat(r.lines).extracting(ErrorLogTest::body).containsExactly(
                "*3 client sent invalid request, client: ::1, server: \n",
                "no connection, client: 127.0.0.9, server: s, request: \"GET / HTTP/1.1\", host: \"h\"\n",
                "signal process started\n",
                "plain\n");
        assertThat(r.lines).extracting(l -> l.substring(20, l.indexOf(']') + 1))
                .containsExactly("[info]", "[warn]", "[notice]", "[alert]");
    }

    @Test
    void controlCharactersCannotForgeLines() {
        Recorder r = new Recorder();
        ErrorLog log = ErrorLog.of(r, LogLevel.INFO, CLOCK);
        log.log(LogLevel.ERROR, 1, "bad \"host\"\n2026/11/23 08:42:00 [emerg] forged",
                new Ctx("127.0.0.1", "s", "CONNECT x\r\ny HTTP/1.1", null, "h\u001b[2J", null));
        assertThat(r.lines).singleElement().satisfies(line -> {
            assertThat(line.indexOf('\n')).isEqualTo(line.length() - 1);
            assertThat(body(line)).isEqualTo("*1 bad \"host\"\\x0A2026/11/23 08:42:00 [emerg] forged, client: 127.0.0.1,"
                    + " server: s, request: \"CONNECT x\\x0D\\x0Ay HTTP/1.1\", host: \"h\\x1B[2J\"\n");
        });
    }

    @Test
    void longLinesAreCutAtNginxsLimit() {
        Recorder r = new Recorder();
        ErrorLog.of(r, LogLevel.INFO, CLOCK).log(LogLevel.ERROR, 1, "x".repeat(5000), null);
        assertThat(r.lines.get(0)).hasSize(2048).endsWith("xx\n");
    }

    @Test
    void eachTargetGetsTheLevelsItAskedFor() {
        Recorder debug = new Recorder();
        Recorder warn = new Recorder();
        Recorder crit = new Recorder();
        ErrorLog log = new ErrorLog(List.of(new ErrorLog.Entry(warn, LogLevel.WARN),
                new ErrorLog.Entry(crit, LogLevel.CRIT), new ErrorLog.Entry(debug, LogLevel.DEBUG)), CLOCK);
        for (LogLevel level : LogLevel.values()) {
            log.log(level, level.label());
        }
        assertThat(debug.lines).extracting(ErrorLogTest::body).containsExactly(
                "debug\n", "info\n", "notice\n", "warn\n", "error\n", "crit\n", "alert\n", "emerg\n");
        assertThat(warn.lines).extracting(ErrorLogTest::body).containsExactly(
                "warn\n", "error\n", "crit\n", "alert\n", "emerg\n");
        assertThat(crit.lines).extracting(ErrorLogTest::body).containsExactly("crit\n", "alert\n", "emerg\n");
    }

    @Test
    void enabledFollowsTheLeastSevereTarget() {
        Recorder a = new Recorder();
        Recorder b = new Recorder();
        ErrorLog log = new ErrorLog(List.of(new ErrorLog.Entry(a, LogLevel.ERROR),
                new ErrorLog.Entry(b, LogLevel.NOTICE)), CLOCK);
        assertThat(log.enabled(LogLevel.INFO)).isFalse();
        assertThat(log.enabled(LogLevel.NOTICE)).isTrue();
        assertThat(log.enabled(LogLevel.EMERG)).isTrue();
        log.log(LogLevel.INFO, "nobody wants this");
        assertThat(a.lines).isEmpty();
        assertThat(b.lines).isEmpty();

        ErrorLog none = ErrorLog.none(CLOCK);
        assertThat(none.enabled(LogLevel.EMERG)).isFalse();
        none.log(LogLevel.EMERG, "dropped");
    }

    @Test
    void aTargetListedTwiceIsWrittenOnceAtItsLeastSevereLevel() {
        Recorder r = new Recorder();
        ErrorLog log = new ErrorLog(List.of(new ErrorLog.Entry(r, LogLevel.ERROR),
                new ErrorLog.Entry(r, LogLevel.INFO)), CLOCK);
        assertThat(log.entries()).containsExactly(new ErrorLog.Entry(r, LogLevel.INFO));
        log.log(LogLevel.ERROR, "once");
        log.log(LogLevel.INFO, "info too");
        assertThat(r.lines).extracting(ErrorLogTest::body).containsExactly("once\n", "info too\n");
    }

    @Test
    void threadIdIsSmallAndStablePerThread() throws Exception {
        Recorder r = new Recorder();
        ErrorLog log = ErrorLog.of(r, LogLevel.INFO, CLOCK);
        log.log(LogLevel.ERROR, "a");
        log.log(LogLevel.ERROR, "b");
        CompletableFuture<Void> other = CompletableFuture.runAsync(() -> log.log(LogLevel.ERROR, "c"),
                runnable -> new Thread(runnable).start());
        other.get(10, TimeUnit.SECONDS);
        List<String> tids = r.lines.stream().map(l -> l.substring(l.indexOf('#') + 1, l.indexOf(": "))).toList();
        assertThat(tids.get(0)).isEqualTo(tids.get(1)).isNotEqualTo(tids.get(2));
        assertThat(Integer.parseInt(tids.get(2))).isBetween(0, 10_000);
    }

    @Test
    void writesThroughALogWriterToAFile() throws Exception {
        try (LogWriter writer = new LogWriter()) {
            writer.start();
            LogTarget file = writer.open("error.log", dir);
            ErrorLog log = ErrorLog.of(file, LogLevel.WARN, CLOCK);
            log.log(LogLevel.INFO, 1, "too low", null);
            log.log(LogLevel.ERROR, 2, "proxy_connect: failed to start the resolver", null);
            writer.close();
            assertThat(LogWriterTest.read(dir.resolve("error.log")))
                    .matches("2026/11/23 08:42:00 \\[error\\] " + PID
                            + "#\\d+: \\*2 proxy_connect: failed to start the resolver\n");
        }
    }

    @Test
    void levelNames() {
        assertThat(LogLevel.parse("warn")).isEqualTo(LogLevel.WARN);
        assertThat(LogLevel.parse("emerg")).isEqualTo(LogLevel.EMERG);
        assertThat(LogLevel.parse("WARN")).isNull();
        assertThat(LogLevel.parse("warning")).isNull();
        assertThat(LogLevel.parse(null)).isNull();
        assertThat(LogLevel.CRIT.label()).isEqualTo("crit");
        assertThat(LogLevel.ERROR.atLeast(LogLevel.WARN)).isTrue();
        assertThat(LogLevel.INFO.atLeast(LogLevel.NOTICE)).isFalse();
        assertThat(Escape.parse("json")).isEqualTo(Escape.JSON);
        assertThat(Escape.parse("default")).isEqualTo(Escape.DEFAULT);
        assertThat(Escape.parse("none")).isEqualTo(Escape.NONE);
        assertThat(Escape.parse("JSON")).isNull();
    }
}
