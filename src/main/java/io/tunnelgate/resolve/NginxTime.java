package io.tunnelgate.resolve;

/**
 * nginx's {@code ngx_parse_time(value, is_sec=1)}, just enough for {@code valid=}: units y M w d h m s in
 * descending order, optionally separated by spaces ({@code 1h 30m}); a trailing bare number counts as
 * seconds; {@code ms} is rejected in seconds mode. Kept local because the general config parser is
 * owned elsewhere and this package must not depend on it.
 */
final class NginxTime {

    private static final String UNITS = "yMwdhms";
    private static final long[] SCALE = {365L * 86400, 30L * 86400, 7L * 86400, 86400, 3600, 60, 1};

    private NginxTime() {
    }

    /** Returns the value in seconds, or -1 when nginx would report it invalid. */
    static long parseSeconds(String text) {
        long total = 0;
        long value = 0;
        boolean digits = false;
        int lastUnit = -1;
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i++);
            if (c >= '0' && c <= '9') {
                if (value > (Long.MAX_VALUE - 9) / 10) {
                    return -1;
                }
                value = value * 10 + (c - '0');
                digits = true;
                continue;
            }
            boolean millis = c == 'm' && i < text.length() && text.charAt(i) == 's';
            int unit = c == ' ' ? UNITS.length() : UNITS.indexOf(c);
            if (millis || unit < 0 || unit <= lastUnit) {
                return -1;
            }
            lastUnit = unit;
            long scale = unit < SCALE.length ? SCALE[unit] : 1;
            if (value > Long.MAX_VALUE / scale || total > Long.MAX_VALUE - value * scale) {
                return -1;
            }
            total += value * scale;
            value = 0;
            while (i < text.length() && text.charAt(i) == ' ') {
                i++;
            }
        }
        if (!digits || total > Long.MAX_VALUE - value) {
            return -1;
        }
        return total + value;
    }
}
