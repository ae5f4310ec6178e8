package io.tunnelgate.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LogClockTest {

    /** 2026-11-23T08:42:00Z, a Monday. */
    private static final long INSTANT = 1_795_423_320_000L;

    @Test
    void utcStrings() {
        LogClock clock = new LogClock(() -> INSTANT + 123, ZoneOffset.UTC);
        assertThat(clock.timeLocal()).isEqualTo("23/Nov/2026:08:42:00 +0000");
        assertThat(clock.timeIso8601()).isEqualTo("2026-11-23T08:42:00+00:00");
        assertThat(clock.errorLogTime()).isEqualTo("2026/11/23 08:42:00");
        assertThat(clock.httpDate()).isEqualTo("Mon, 23 Nov 2026 08:42:00 GMT");
        assertThat(clock.msec()).isEqualTo("1795423320.123");
        assertThat(clock.millis()).isEqualTo(INSTANT + 123);
    }

    @Test
    void positiveHalfHourZone() {
        LogClock clock = new LogClock(() -> INSTANT, ZoneId.of("Asia/Kolkata"));
        assertThat(clock.timeLocal()).isEqualTo("23/Nov/2026:14:12:00 +0530");
        assertThat(clock.timeIso8601()).isEqualTo("2026-11-23T14:12:00+05:30");
        assertThat(clock.errorLogTime()).isEqualTo("2026/11/23 14:12:00");
        assertThat(clock.httpDate()).isEqualTo("Mon, 23 Nov 2026 08:42:00 GMT");
    }

    @Test
    void negativeZonesIncludingMinutesAndDaylightSaving() {
        LogClock stJohns = new LogClock(() -> INSTANT, ZoneId.of("America/St_Johns"));
        assertThat(stJohns.timeLocal()).isEqualTo("23/Nov/2026:05:12:00 -0330");
        assertThat(stJohns.timeIso8601()).isEqualTo("2026-11-23T05:12:00-03:30");

        // Just after midnight UTC the local date is still the day before.
        LogClock newYork = new LogClock(() -> 1_784_160_300_000L, ZoneId.of("America/New_York"));
        assertThat(newYork.timeLocal()).isEqualTo("15/Jul/2026:20:05:00 -0400");
        assertThat(newYork.timeIso8601()).isEqualTo("2026-07-15T20:05:00-04:00");
        assertThat(newYork.errorLogTime()).isEqualTo("2026/07/15 20:05:00");
        assertThat(newYork.httpDate()).isEqualTo("Thu, 16 Jul 2026 00:05:00 GMT");
    }

    @Test
    void englishNamesWhateverTheDefaultLocale() {
        Locale saved = Locale.getDefault();
        try {
            Locale.setDefault(Locale.GERMANY);
            LogClock clock = new LogClock(() -> 1_772_409_600_000L, ZoneOffset.UTC); // 2026-03-02, a Monday
            assertThat(clock.timeLocal()).isEqualTo("02/Mar/2026:00:00:00 +0000");
            assertThat(clock.httpDate()).isEqualTo("Mon, 02 Mar 2026 00:00:00 GMT");
        } finally {
            Locale.setDefault(saved);
        }
    }

    @Test
    void cachedWithinASecondAndRefreshedWhenTheSecondChanges() {
        AtomicLong now = new AtomicLong(INSTANT);
        LogClock clock = new LogClock(now::get, ZoneOffset.UTC);
        String first = clock.timeLocal();
        String firstDate = clock.httpDate();

        now.set(INSTANT + 999);
        assertThat(clock.timeLocal()).isSameAs(first);
        assertThat(clock.httpDate()).isSameAs(firstDate);
        assertThat(clock.msec()).isEqualTo("1795423320.999");

        now.set(INSTANT + 1000);
        assertThat(clock.timeLocal()).isEqualTo("23/Nov/2026:08:42:01 +0000");
        assertThat(clock.timeIso8601()).isEqualTo("2026-11-23T08:42:01+00:00");
        assertThat(clock.errorLogTime()).isEqualTo("2026/11/23 08:42:01");
        assertThat(clock.httpDate()).isEqualTo("Mon, 23 Nov 2026 08:42:01 GMT");

        // A clock stepped backwards is followed too.
        now.set(INSTANT - 60_000);
        assertThat(clock.timeLocal()).isEqualTo("23/Nov/2026:08:41:00 +0000");
    }

    @Test
    void msecFormatting() {
        AtomicLong now = new AtomicLong(1000);
        LogClock clock = new LogClock(now::get, ZoneOffset.UTC);
        assertThat(clock.msec()).isEqualTo("1.000");
        now.set(1);
        assertThat(clock.msec()).isEqualTo("0.001");
        now.set(INSTANT + 50);
        LineBuilder line = new LineBuilder().appendAscii("t=");
        clock.appendMsec(line);
        assertThat(line.toString()).isEqualTo("t=1795423320.050");
    }
}
