package io.tunnelgate.files;

import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * Parses the HTTP dates of conditional requests ({@code If-Modified-Since}, {@code If-Range} ...)
 * in the three forms nginx accepts: RFC 1123 ({@code Sun, 06 Nov 1994 08:49:37 GMT}), RFC 850
 * ({@code Sunday, 06-Nov-94 08:49:37 GMT}) and asctime ({@code Sun Nov  6 08:49:37 1994}). The
 * weekday is not checked, as in nginx.
 */
final class HttpDates {
    private static final String MONTHS = "JanFebMarAprMayJunJulAugSepOctNovDec";

    private HttpDates() {
    }

    /** Epoch seconds, or -1 when {@code text} is not such a date. */
    static long parse(String text) {
        if (text == null) {
            return -1;
        }
        String s = text.trim();
        int comma = s.indexOf(',');
        int space = s.indexOf(' ');
        try {
            if (comma >= 0 && (space < 0 || comma < space)) {
                String rest = s.substring(comma + 1).trim();
                return rest.length() > 2 && rest.charAt(2) == '-' ? rfc850(rest) : rfc1123(rest);
            }
            return asctime(s.substring(space + 1).trim());
        } catch (RuntimeException e) {
            return -1;
        }
    }

    /** {@code 06 Nov 1994 08:49:37 GMT}. */
    private static long rfc1123(String s) {
        String[] p = s.split(" +");
        return p.length >= 4 ? epoch(p[2], p[1], p[0], p[3]) : -1;
    }

    /** {@code 06-Nov-94 08:49:37 GMT}: two-digit years below 70 are 20xx. */
    private static long rfc850(String s) {
        String[] p = s.split(" +");
        String[] d = p[0].split("-");
        if (d.length != 3 || d[2].length() != 2) {
            return -1;
        }
        int yy = Integer.parseInt(d[2]);
        return epoch(Integer.toString(yy < 70 ? 2000 + yy : 1900 + yy), d[1], d[0], p[1]);
    }

    /** {@code Nov  6 08:49:37 1994}. */
    private static long asctime(String s) {
        String[] p = s.split(" +");
        return p.length >= 4 ? epoch(p[3], p[0], p[1], p[2]) : -1;
    }

    private static long epoch(String year, String month, String day, String clock) {
        int m = MONTHS.indexOf(month);
        String[] hms = clock.split(":");
        if (month.length() != 3 || m < 0 || m % 3 != 0 || hms.length != 3 || year.length() != 4) {
            return -1;
        }
        try {
            LocalDateTime t = LocalDateTime.of(Integer.parseInt(year), m / 3 + 1, Integer.parseInt(day),
                    Integer.parseInt(hms[0]), Integer.parseInt(hms[1]), Integer.parseInt(hms[2]));
            return t.toEpochSecond(ZoneOffset.UTC);
        } catch (DateTimeException e) {
            return -1;
        }
    }
}
