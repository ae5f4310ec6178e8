package io.tunnelgate.log;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * nginx's {@code error_log}: a fixed list of (target, minimum level) pairs. A message goes to
 * every target whose level it meets or exceeds, as one line formatted exactly like nginx's:
 * <pre>
 * 2026/11/23 08:42:00 [error] 4242#0: *7 message while action, client: 127.0.0.1, server: example.com, request: "CONNECT a:443 HTTP/1.1", host: "a:443"
 * </pre>
 * Control characters in the message and the context are written as {@code \xHH}, so a hostile
 * request line cannot forge a log line. As in nginx, a line longer than 2048 bytes is cut.
 * Immutable and thread-safe; logging only queues bytes, so it never blocks an event loop.
 */
public final class ErrorLog {

    /** nginx's {@code NGX_MAX_ERROR_STR}: the longest line, newline included. */
    static final int MAX_LINE = 2048;
    private static final long PID = ProcessHandle.current().pid();
    private static final AtomicInteger NEXT_TID = new AtomicInteger();
    /**
     * nginx prints {@code pid#tid}. Java thread ids are large and {@code threadId()} needs JDK 19,
     * so each thread gets a small number the first time it logs, and keeps it.
     */
    private static final ThreadLocal<String> PID_TID =
            ThreadLocal.withInitial(() -> PID + "#" + NEXT_TID.getAndIncrement() + ": ");

    /** One {@code error_log} line: where to write, and the least severe level written there. */
    public record Entry(LogTarget target, LogLevel level) {
        /** Both parts are required. */
        public Entry {
            Objects.requireNonNull(target, "target");
            Objects.requireNonNull(level, "level");
        }
    }

    private final List<Entry> entries;
    private final LogClock clock;
    private final int minOrdinal;

    /**
     * An error log writing to {@code entries}. A target listed twice is written once, at the
     * less severe of its levels (nginx would write the line twice to the same file).
     */
    public ErrorLog(List<Entry> entries, LogClock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        List<Entry> merged = new ArrayList<>();
        for (Entry e : entries) {
            int i = indexOf(merged, e.target());
            if (i < 0) {
                merged.add(e);
            } else if (merged.get(i).level().atLeast(e.level())) {
                merged.set(i, e);
            }
        }
        this.entries = List.copyOf(merged);
        this.minOrdinal = this.entries.stream().mapToInt(e -> e.level().ordinal()).min().orElse(Integer.MAX_VALUE);
    }

    /** An error log with one target. */
    public static ErrorLog of(LogTarget target, LogLevel level, LogClock clock) {
        return new ErrorLog(List.of(new Entry(target, level)), clock);
    }

    /** An error log on the process's stderr (through {@code writer}, so still off the event loop). */
    public static ErrorLog stderr(LogWriter writer, LogLevel level, LogClock clock) {
        try {
            return of(writer.open("stderr", null), level, clock);
        } catch (IOException e) {
            throw new UncheckedIOException("stderr is not a file and cannot fail to open", e);
        }
    }

    /** An error log that writes nothing. */
    public static ErrorLog none(LogClock clock) {
        return new ErrorLog(List.of(), clock);
    }

    /** The (target, level) pairs, each target once. */
    public List<Entry> entries() {
        return entries;
    }

    /** Whether any target takes messages at {@code level}; check it before building costly messages. */
    public boolean enabled(LogLevel level) {
        return level.ordinal() >= minOrdinal;
    }

    /** Logs a message about no connection in particular. */
    public void log(LogLevel level, String message) {
        log(level, 0, message, null);
    }

    /**
     * Logs {@code message}. {@code connectionId} 0 leaves out {@code *<id> }; a null {@code ctx}
     * leaves out the whole {@code , client: ...} part.
     */
    public void log(LogLevel level, long connectionId, String message, ErrorContext ctx) {
        if (!enabled(level)) {
            return;
        }
        byte[] line = format(level, connectionId, message, ctx);
        for (Entry e : entries) {
            if (level.atLeast(e.level())) {
                e.target().append(line);
            }
        }
    }

    /** The line as it is written, newline included. */
    byte[] format(LogLevel level, long connectionId, String message, ErrorContext ctx) {
        LineBuilder b = new LineBuilder(256);
        b.appendAscii(clock.errorLogTime()).appendAscii(" [").appendAscii(level.label()).appendAscii("] ")
                .appendAscii(PID_TID.get());
        if (connectionId != 0) {
            b.appendAscii('*').appendLong(connectionId).appendAscii(' ');
        }
        b.appendControlEscaped(message == null ? "" : message);
        if (ctx != null) {
            appendContext(b, ctx);
        }
        b.truncate(MAX_LINE - 1);
        return b.appendAscii('\n').toByteArray();
    }

    private static void appendContext(LineBuilder b, ErrorContext ctx) {
        String action = ctx.action();
        if (action != null) {
            b.appendAscii(" while ");
            b.appendControlEscaped(action);
        }
        b.appendAscii(", client: ");
        b.appendControlEscaped(Objects.requireNonNullElse(ctx.client(), ""));
        b.appendAscii(", server: ");
        b.appendControlEscaped(Objects.requireNonNullElse(ctx.server(), ""));
        quoted(b, ", request: \"", ctx.request());
        quoted(b, ", upstream: \"", ctx.upstream());
        quoted(b, ", host: \"", ctx.host());
        quoted(b, ", referrer: \"", ctx.referrer());
    }

    private static void quoted(LineBuilder b, String label, String value) {
        if (value != null) {
            b.appendAscii(label);
            b.appendControlEscaped(value);
            b.appendAscii('"');
        }
    }

    private static int indexOf(List<Entry> list, LogTarget target) {
        for (int i = 0; i < list.size(); i++) {
            if (list.get(i).target() == target) {
                return i;
            }
        }
        return -1;
    }
}
