package io.tunnelgate.log;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.zone.ZoneRules;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * The time strings of the logs, as nginx formats them, cached per second: every call reads the
 * millisecond source, and only when the second has changed are the strings formatted again (one
 * immutable snapshot behind a volatile field; no allocation otherwise). Names of months and days
 * are English whatever the default Locale is, because the formatting is done by hand.
 * Thread-safe.
 */
public final class LogClock {

    private static final String[] MONTHS = {
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    private static final String[] DAYS = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};

    private final LongSupplier millis;
    private final ZoneRules rules;
    private volatile Snapshot current;

    /** The wall clock in the system's default zone. */
    public LogClock() {
        this(System::currentTimeMillis, ZoneId.systemDefault());
    }

    /** A clock reading {@code millis} (epoch milliseconds) and printing local times in {@code zone}. */
    public LogClock(LongSupplier millis, ZoneId zone) {
        this.millis = Objects.requireNonNull(millis, "millis");
        this.rules = zone.getRules();
        this.current = format(Math.floorDiv(millis.getAsLong(), 1000));
    }

    /** Current epoch milliseconds from the source. */
    public long millis() {
        return millis.getAsLong();
    }

    /** nginx {@code $time_local} without brackets: {@code 23/Nov/2026:08:42:00 +0000}. */
    public String timeLocal() {
        return snapshot(millis.getAsLong()).timeLocal();
    }

    /** nginx {@code $time_iso8601}: {@code 2026-11-23T08:42:00+00:00}. */
    public String timeIso8601() {
        return snapshot(millis.getAsLong()).iso8601();
    }

    /** The error log's time stamp, local time: {@code 2026/11/23 08:42:00}. */
    public String errorLogTime() {
        return snapshot(millis.getAsLong()).errorLog();
    }

    /** An HTTP {@code Date} value, always GMT: {@code Mon, 23 Nov 2026 08:42:00 GMT}. */
    public String httpDate() {
        return snapshot(millis.getAsLong()).httpDate();
    }

    /** nginx {@code $msec}, seconds with millisecond resolution: {@code 1795423320.123}. */
    public String msec() {
        LineBuilder b = new LineBuilder(24);
        appendMsec(b);
        return b.toString();
    }

    /** Appends {@link #msec()} without allocating. */
    public void appendMsec(LineBuilder line) {
        line.appendSecondsMillis(millis.getAsLong());
    }

    private Snapshot snapshot(long nowMillis) {
        long second = Math.floorDiv(nowMillis, 1000);
        Snapshot s = current;
        if (s.second() != second) {
            // Two threads may both format the new second; both results are equal, either wins.
            s = format(second);
            current = s;
        }
        return s;
    }

    private Snapshot format(long second) {
        ZoneOffset offset = rules.getOffset(Instant.ofEpochSecond(second));
        LocalDateTime local = LocalDateTime.ofEpochSecond(second, 0, offset);
        LocalDateTime utc = LocalDateTime.ofEpochSecond(second, 0, ZoneOffset.UTC);
        int offsetMinutes = offset.getTotalSeconds() / 60;
        char sign = offsetMinutes < 0 ? '-' : '+';
        String hh = two(Math.abs(offsetMinutes) / 60);
        String mm = two(Math.abs(offsetMinutes) % 60);
        String month = MONTHS[local.getMonthValue() - 1];
        String clock = two(local.getHour()) + ':' + two(local.getMinute()) + ':' + two(local.getSecond());
        String timeLocal = two(local.getDayOfMonth()) + '/' + month + '/' + local.getYear() + ':' + clock
                + ' ' + sign + hh + mm;
        String date = local.getYear() + "-" + two(local.getMonthValue()) + '-' + two(local.getDayOfMonth());
        String iso = date + 'T' + clock + sign + hh + ':' + mm;
        String errorLog = date.replace('-', '/') + ' ' + clock;
        String http = DAYS[utc.getDayOfWeek().getValue() - 1] + ", " + two(utc.getDayOfMonth()) + ' '
                + MONTHS[utc.getMonthValue() - 1] + ' ' + utc.getYear() + ' ' + two(utc.getHour()) + ':'
                + two(utc.getMinute()) + ':' + two(utc.getSecond()) + " GMT";
        return new Snapshot(second, timeLocal, iso, errorLog, http);
    }

    private static String two(int v) {
        return v < 10 ? "0" + v : Integer.toString(v);
    }

    /** The strings of one second; immutable, so it can be published with one volatile write. */
    private record Snapshot(long second, String timeLocal, String iso8601, String errorLog, String httpDate) {
    }
}
