package io.tunnelgate.config;

/**
 * nginx's value parsers ({@code ngx_parse_time}, {@code ngx_parse_size}, {@code ngx_parse_offset},
 * {@code ngx_atoi}) with their 64-bit limits, so that a value nginx accepts means the same here
 * and a value it rejects is rejected. Each returns -1 on any error; the caller words the message
 * (nginx says {@code "x" directive invalid value}).
 */
public final class Values {

    /** Time units in the only order nginx accepts them, largest first. */
    private enum Unit {
        START(0), YEAR(365L * 24 * 3600), MONTH(30L * 24 * 3600), WEEK(7L * 24 * 3600),
        DAY(24L * 3600), HOUR(3600), MIN(60), SEC(1), MSEC(1), LAST(1);

        final long seconds;

        Unit(long seconds) {
            this.seconds = seconds;
        }
    }

    private Values() {
    }

    /**
     * Parses a time in milliseconds ({@code ngx_parse_time(s, 0)}): units {@code ms s m h d w},
     * largest first, optionally separated by spaces ({@code 1m30s}, {@code 1s 500ms}); a bare
     * number means seconds. {@code y} and {@code M} are not allowed here.
     *
     * @return milliseconds, or -1
     */
    public static long parseTimeMillis(String s) {
        return parseTime(s, false);
    }

    /**
     * Parses a time in seconds ({@code ngx_parse_time(s, 1)}): units {@code y M w d h m s},
     * largest first; a bare number means seconds; {@code ms} is not allowed.
     *
     * @return seconds, or -1
     */
    public static long parseTimeSeconds(String s) {
        return parseTime(s, true);
    }

    /**
     * Follows ngx_parse_time's quirks too: a space acts as a seconds unit ({@code "1 2"} is 3s), a
     * unit without digits adds nothing ({@code "1hm"} is 1h), and trailing digits after the
     * smallest unit are seconds ({@code "1s5"} is 6s).
     */
    private static long parseTime(String s, boolean inSeconds) {
        Unit step = inSeconds ? Unit.START : Unit.MONTH;
        long total = 0;
        long value = 0;
        boolean valid = false;
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i++);
            if (c >= '0' && c <= '9') {
                value = appendDigit(value, c);
                if (value < 0) {
                    return -1;
                }
                valid = true;
                continue;
            }
            Unit unit = unit(c, s, i, step, inSeconds);
            if (unit == null) {
                return -1;
            }
            if (unit == Unit.MSEC) {
                i++;
            }
            step = unit;
            total = add(total, value, unit, inSeconds);
            if (total < 0) {
                return -1;
            }
            value = 0;
            while (i < s.length() && s.charAt(i) == ' ') {
                i++;
            }
        }
        return valid ? add(total, value, Unit.LAST, inSeconds) : -1;
    }

    /** The unit that {@code c} (at index {@code next - 1}) names, or null if not allowed after {@code step}. */
    private static Unit unit(char c, String s, int next, Unit step, boolean inSeconds) {
        Unit unit = switch (c) {
            case 'y' -> Unit.YEAR;
            case 'M' -> Unit.MONTH;
            case 'w' -> Unit.WEEK;
            case 'd' -> Unit.DAY;
            case 'h' -> Unit.HOUR;
            case 'm' -> next < s.length() && s.charAt(next) == 's' ? Unit.MSEC : Unit.MIN;
            case 's' -> Unit.SEC;
            case ' ' -> Unit.LAST;
            default -> null;
        };
        if (unit == null || (unit == Unit.MSEC && inSeconds)) {
            return null;
        }
        // "y" only first; the others strictly after the previous unit; a space only before seconds
        boolean ordered = switch (unit) {
            case YEAR -> step == Unit.START;
            case LAST -> step.compareTo(Unit.SEC) < 0;
            default -> step.compareTo(unit) < 0;
        };
        return ordered ? unit : null;
    }

    /** {@code total + value * unit}, or -1 on overflow. */
    private static long add(long total, long value, Unit unit, boolean inSeconds) {
        long scale = unit == Unit.MSEC || inSeconds ? unit.seconds : unit.seconds * 1000;
        if (value > Long.MAX_VALUE / scale) {
            return -1;
        }
        long part = value * scale;
        return total > Long.MAX_VALUE - part ? -1 : total + part;
    }

    /** {@code value * 10 + digit}, or -1 on overflow. */
    private static long appendDigit(long value, char digit) {
        int d = digit - '0';
        if (value > (Long.MAX_VALUE - d) / 10) {
            return -1;
        }
        return value * 10 + d;
    }

    /**
     * Parses a size ({@code ngx_parse_size}): bytes, or with {@code k}/{@code K} (KiB) or
     * {@code m}/{@code M} (MiB). nginx has no {@code g} for sizes (only for offsets), so
     * {@code 1g} is rejected as nginx rejects it.
     *
     * @return bytes, or -1
     */
    public static long parseSize(String s) {
        return scaled(s, false);
    }

    /**
     * Parses an offset ({@code ngx_parse_offset}): like {@link #parseSize} plus {@code g}/{@code G}
     * (GiB).
     *
     * @return bytes, or -1
     */
    public static long parseOffset(String s) {
        return scaled(s, true);
    }

    private static long scaled(String s, boolean allowGiga) {
        if (s.isEmpty()) {
            return -1;
        }
        long scale = switch (s.charAt(s.length() - 1)) {
            case 'k', 'K' -> 1L << 10;
            case 'm', 'M' -> 1L << 20;
            case 'g', 'G' -> allowGiga ? 1L << 30 : 1;
            default -> 1;
        };
        long n = parseLong(scale == 1 ? s : s.substring(0, s.length() - 1));
        if (n < 0 || n > Long.MAX_VALUE / scale) {
            return -1;
        }
        return n * scale;
    }

    /**
     * Parses a non-negative decimal integer ({@code ngx_atoi}): digits only, no sign.
     *
     * @return the value, or -1 on an empty string, a non-digit or a value above
     *     {@link Integer#MAX_VALUE}
     */
    public static int parseInt(String s) {
        long n = parseLong(s);
        return n > Integer.MAX_VALUE ? -1 : (int) n;
    }

    /** ngx_atoi/ngx_atoof with a 64-bit limit: digits only, -1 on error or overflow. */
    private static long parseLong(String s) {
        if (s.isEmpty()) {
            return -1;
        }
        long value = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = appendDigit(value, c);
            if (value < 0) {
                return -1;
            }
        }
        return value;
    }
}
