package io.tunnelgate.files;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;

/**
 * nginx's range filter for a file sent with 200, limited to one range: {@code Range: bytes=a-b},
 * {@code a-} and {@code -n}, with {@code If-Range} (an entity tag or the exact modification
 * time). A request for several ranges gets the whole file, as nginx with {@code max_ranges 1}
 * answers it (nginx's default would send {@code multipart/byteranges}).
 */
final class ByteRanges {
    /** The whole file, with {@code Accept-Ranges: bytes}. */
    static final Choice WHOLE = new Choice(0, -1);
    /** 416 with {@code Content-Range: bytes *}{@code /size}. */
    static final Choice UNSATISFIABLE = new Choice(-1, -1);

    /**
     * A range of the file to send with 206, or one of the two constants.
     *
     * @param start the first byte
     * @param end one past the last byte
     */
    record Choice(long start, long end) {
    }

    private static final long CUTOFF = Long.MAX_VALUE / 10;
    private static final long CUTLIM = Long.MAX_VALUE % 10;

    private ByteRanges() {
    }

    static Choice choose(HttpHeaders h, long size, long mtime, String etag) {
        String range = h.get(HttpHeaderNames.RANGE);
        if (range == null || range.length() < 7 || !range.regionMatches(true, 0, "bytes=", 0, 6)) {
            return WHOLE;
        }
        String ifRange = h.get(HttpHeaderNames.IF_RANGE);
        if (ifRange != null) {
            boolean isTag = ifRange.length() >= 2 && ifRange.endsWith("\"");
            if (isTag ? !ifRange.equals(etag) : HttpDates.parse(ifRange) != mtime) {
                return WHOLE;
            }
        }
        return parse(range, size);
    }

    /** Parses after {@code bytes=} as nginx does; see the class comment for several ranges. */
    static Choice parse(String s, long size) {
        Cursor c = new Cursor(s, 6);
        Choice found = null;
        while (true) {
            Choice r = spec(c, size);
            if (r == null) {
                return UNSATISFIABLE;
            }
            if (r.start() < r.end()) {
                if (found != null) {
                    return WHOLE;
                }
                found = r;
            } else if (r.start() == 0) {
                return WHOLE;
            }
            if (c.atEnd()) {
                break;
            }
            c.pos++;
        }
        return found == null ? UNSATISFIABLE : found;
    }

    /**
     * One {@code a-b}, {@code a-} or {@code -n}, clipped to the file, up to the next comma or the
     * end; null when it does not parse. The result may be empty (start not below end).
     */
    private static Choice spec(Cursor c, long size) {
        long start = 0;
        c.skipSpaces();
        boolean suffix = c.peek() == '-';
        if (suffix) {
            c.pos++;
        } else {
            start = c.number();
            c.skipSpaces();
            if (start < 0 || c.next() != '-') {
                return null;
            }
            c.skipSpaces();
            if (c.peek() == ',' || c.atEnd()) {
                return new Choice(start, size);
            }
        }
        long end = c.number();
        c.skipSpaces();
        if (end < 0 || c.peek() != ',' && !c.atEnd()) {
            return null;
        }
        if (suffix) {
            start = end < size ? size - end : 0;
            end = size - 1;
        }
        return new Choice(start, end >= size ? size : end + 1);
    }

    /** A position in the header value. */
    private static final class Cursor {
        private final String s;
        private int pos;

        Cursor(String s, int pos) {
            this.s = s;
            this.pos = pos;
        }

        boolean atEnd() {
            return pos >= s.length();
        }

        char peek() {
            return atEnd() ? '\0' : s.charAt(pos);
        }

        char next() {
            return atEnd() ? '\0' : s.charAt(pos++);
        }

        void skipSpaces() {
            while (peek() == ' ') {
                pos++;
            }
        }

        /** Decimal digits (at least one), or -1 when there are none or they overflow. */
        long number() {
            if (peek() < '0' || peek() > '9') {
                return -1;
            }
            long v = 0;
            while (peek() >= '0' && peek() <= '9') {
                int d = s.charAt(pos++) - '0';
                if (v >= CUTOFF && (v > CUTOFF || d > CUTLIM)) {
                    return -1;
                }
                v = v * 10 + d;
            }
            return v;
        }
    }
}
