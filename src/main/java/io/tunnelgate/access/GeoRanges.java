package io.tunnelgate.access;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The IPv4 address ranges of a {@code geo} block in {@code ranges} mode.
 *
 * <p>Built as nginx builds them: per block of 65536 addresses (the high 16 bits), each block a
 * sorted list of disjoint ranges. A range added inside one existing range (or sharing its start
 * or end) splits it and takes its part; an identical range replaces the value with a warning; any
 * other overlap is an error naming the part of the block it overlaps. {@code delete} removes a
 * range only as it was added, per block. The finished table is one sorted array searched by
 * binary search.
 */
final class GeoRanges {
    private final long[] starts;
    private final long[] ends;
    private final String[] values;

    private GeoRanges(long[] starts, long[] ends, String[] values) {
        this.starts = starts;
        this.ends = ends;
        this.values = values;
    }

    /** The value of the range containing {@code address} (unsigned 32 bits), or null. */
    String find(long address) {
        int lo = 0;
        int hi = starts.length - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (address < starts[mid]) {
                hi = mid - 1;
            } else if (address > ends[mid]) {
                lo = mid + 1;
            } else {
                return values[mid];
            }
        }
        return null;
    }

    /** One range inside a block: the low 16 bits of its first and last address. */
    private static final class Range {
        int start;
        int end;
        String value;

        Range(int start, int end, String value) {
            this.start = start;
            this.end = end;
            this.value = value;
        }
    }

    /** Collects ranges in config order with nginx's checks. */
    static final class Builder {
        private final Map<Integer, List<Range>> blocks = new TreeMap<>();

        /**
         * Adds {@code start-end} (unsigned 32-bit addresses, start &lt;= end).
         *
         * @param text the range as written, for messages
         * @return warnings (a duplicate range), possibly empty
         * @throws IllegalArgumentException nginx's {@code range "x" overlaps "a-b"}
         */
        List<String> add(long start, long end, String value, String text) {
            List<String> warnings = new ArrayList<>(0);
            for (long n = start; n <= end; n = (n + 0x10000) & 0xffff0000L) {
                int h = (int) (n >>> 16);
                int s = n == start ? (int) (n & 0xffff) : 0;
                int e = (n | 0xffff) > end ? (int) (end & 0xffff) : 0xffff;
                addToBlock(blocks.computeIfAbsent(h, k -> new ArrayList<>()), h, s, e, value, text, warnings);
            }
            return warnings;
        }

        private static void addToBlock(List<Range> a, int h, int s, int e, String value, String text,
                                       List<String> warnings) {
            for (int i = a.size() - 1; i >= 0; i--) {
                Range r = a.get(i);
                if (e < r.start) {
                    continue;
                }
                if (s > r.end) {
                    a.add(i + 1, new Range(s, e, value));
                } else if (s == r.start && e == r.end) {
                    warnings.add("duplicate range \"" + text + "\", value: \"" + value + "\", old value: \""
                            + r.value + "\"");
                    r.value = value;
                } else if (s > r.start && e < r.end) {
                    a.add(i + 1, new Range(s, e, value));
                    a.add(i + 2, new Range(e + 1, r.end, r.value));
                    r.end = s - 1;
                } else if (s == r.start && e < r.end) {
                    a.add(i + 1, new Range(e + 1, r.end, r.value));
                    r.end = e;
                    r.value = value;
                } else if (s > r.start && e == r.end) {
                    a.add(i + 1, new Range(s, e, value));
                    r.end = s - 1;
                } else {
                    throw new IllegalArgumentException("range \"" + text + "\" overlaps \"" + address(h, r.start)
                            + "-" + address(h, r.end) + "\"");
                }
                return;
            }
            a.add(0, new Range(s, e, value));
        }

        /**
         * Deletes {@code start-end} as it was added.
         *
         * @return false when some block had no such range (nginx warns {@code no address range ... to delete})
         */
        boolean delete(long start, long end) {
            boolean all = true;
            for (long n = start; n <= end; n = (n + 0x10000) & 0xffff0000L) {
                int s = n == start ? (int) (n & 0xffff) : 0;
                int e = (n | 0xffff) > end ? (int) (end & 0xffff) : 0xffff;
                List<Range> a = blocks.get((int) (n >>> 16));
                all &= a != null && a.removeIf(r -> r.start == s && r.end == e);
            }
            return all;
        }

        GeoRanges build() {
            int count = 0;
            for (List<Range> a : blocks.values()) {
                count += a.size();
            }
            long[] starts = new long[count];
            long[] ends = new long[count];
            String[] values = new String[count];
            int i = 0;
            for (Map.Entry<Integer, List<Range>> block : blocks.entrySet()) {
                long high = (long) block.getKey() << 16;
                for (Range r : block.getValue()) {
                    starts[i] = high | r.start;
                    ends[i] = high | r.end;
                    values[i++] = r.value;
                }
            }
            return new GeoRanges(starts, ends, values);
        }

        private static String address(int high, int low) {
            return (high >> 8) + "." + (high & 0xff) + "." + (low >> 8) + "." + (low & 0xff);
        }
    }
}
