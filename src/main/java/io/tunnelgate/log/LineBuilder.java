package io.tunnelgate.log;

import io.netty.util.AsciiString;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A reusable, growable byte buffer that builds one log line. Nothing is allocated per call except
 * when the buffer has to grow, so a caller that keeps one builder per thread (an event loop) and
 * {@link #reset()}s it per line only pays for {@link #toByteArray()}.
 *
 * <p>Most text arrives as "byte strings": Netty hands header and request-line bytes over as
 * ISO-8859-1 chars, so {@link #appendAscii} and {@link #appendEscaped} take every char as the byte
 * {@code c & 0xff}. Text typed in a config goes through {@link #appendUtf8}. Not thread-safe.
 */
public final class LineBuilder {

    private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);
    private static final int MAX_CAPACITY = Integer.MAX_VALUE - 8;

    private byte[] buf;
    private int len;

    /** A builder with room for a typical access-log line. */
    public LineBuilder() {
        this(256);
    }

    /** A builder with the given initial capacity in bytes. */
    public LineBuilder(int initialCapacity) {
        if (initialCapacity < 0) {
            throw new IllegalArgumentException("initialCapacity < 0: " + initialCapacity);
        }
        buf = new byte[initialCapacity];
    }

    /** Appends one byte. */
    public LineBuilder append(byte b) {
        ensure(1);
        buf[len++] = b;
        return this;
    }

    /** Appends all of {@code bytes} (e.g. a literal precompiled from a log format). */
    public LineBuilder append(byte[] bytes) {
        return append(bytes, 0, bytes.length);
    }

    /** Appends {@code length} bytes of {@code bytes} from {@code offset}. */
    public LineBuilder append(byte[] bytes, int offset, int length) {
        ensure(length);
        System.arraycopy(bytes, offset, buf, len, length);
        len += length;
        return this;
    }

    /** Appends one char as the byte {@code c & 0xff}; saves a cast for literals like {@code '"'}. */
    public LineBuilder appendAscii(char c) {
        ensure(1);
        buf[len++] = (byte) c;
        return this;
    }

    /** Appends every char of {@code s} as the byte {@code c & 0xff} (ISO-8859-1, unchecked). */
    @SuppressWarnings("deprecation") // String.getBytes(int,int,byte[],int) is exactly "low byte of each char", and fast
    public LineBuilder appendAscii(CharSequence s) {
        int n = s.length();
        ensure(n);
        if (s instanceof String str) {
            str.getBytes(0, n, buf, len);
        } else if (s instanceof AsciiString ascii) {
            System.arraycopy(ascii.array(), ascii.arrayOffset(), buf, len, n);
        } else {
            for (int i = 0; i < n; i++) {
                buf[len + i] = (byte) s.charAt(i);
            }
        }
        len += n;
        return this;
    }

    /** Appends {@code s} encoded as UTF-8; a lone surrogate becomes {@code ?}. */
    public LineBuilder appendUtf8(CharSequence s) {
        int n = s.length();
        ensure(n);
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                ensure(1);
                buf[len++] = (byte) c;
            } else {
                i = appendUtf8Char(s, i, Escape.NONE);
            }
        }
        return this;
    }

    /** Appends the decimal digits of {@code v}. */
    public LineBuilder appendLong(long v) {
        if (v == Long.MIN_VALUE) {
            return appendAscii("-9223372036854775808");
        }
        ensure(20);
        if (v < 0) {
            buf[len++] = '-';
            v = -v;
        }
        int digits = 1;
        for (long t = v / 10; t != 0; t /= 10) {
            digits++;
        }
        for (int i = len + digits - 1; i >= len; i--) {
            buf[i] = (byte) ('0' + (int) (v % 10));
            v /= 10;
        }
        len += digits;
        return this;
    }

    /**
     * Appends a millisecond count as nginx's {@code %T.%03M}: whole seconds, a dot, three digits
     * ({@code 1500} gives {@code 1.500}). Negative values print as {@code 0.000}, as nginx clamps
     * its durations with {@code ngx_max(ms, 0)}.
     */
    public LineBuilder appendSecondsMillis(long millis) {
        long ms = Math.max(millis, 0);
        appendLong(ms / 1000);
        int frac = (int) (ms % 1000);
        ensure(4);
        buf[len++] = '.';
        buf[len++] = (byte) ('0' + frac / 100);
        buf[len++] = (byte) ('0' + frac / 10 % 10);
        buf[len++] = (byte) ('0' + frac % 10);
        return this;
    }

    /**
     * Appends a variable's value escaped per {@code escape}. Chars are bytes ({@code c & 0xff});
     * a char above 0xff, which a byte string should not contain, is written as its UTF-8 bytes,
     * each escaped on its own.
     */
    public LineBuilder appendEscaped(CharSequence s, Escape escape) {
        int n = s.length();
        ensure(n);
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c <= 0xff) {
                escapeByte(c, escape);
            } else {
                i = appendUtf8Char(s, i, escape);
            }
        }
        return this;
    }

    /** Appends {@code length} raw bytes from {@code offset}, escaped per {@code escape}. */
    public LineBuilder appendEscaped(byte[] bytes, int offset, int length, Escape escape) {
        ensure(length);
        for (int i = offset; i < offset + length; i++) {
            escapeByte(bytes[i] & 0xff, escape);
        }
        return this;
    }

    /** Number of bytes built so far. */
    public int length() {
        return len;
    }

    /** A copy of the bytes built so far; the builder stays usable. */
    public byte[] toByteArray() {
        return Arrays.copyOf(buf, len);
    }

    /** Empties the builder and keeps its capacity. */
    public LineBuilder reset() {
        len = 0;
        return this;
    }

    /** The bytes built so far, decoded as ISO-8859-1 (for messages and tests). */
    @Override
    public String toString() {
        return new String(buf, 0, len, StandardCharsets.ISO_8859_1);
    }

    /** Cuts the line back to {@code length} bytes (the error log's line limit). */
    void truncate(int length) {
        if (length < len) {
            len = Math.max(length, 0);
        }
    }

    /**
     * Appends text for the error log: control bytes (below 0x20, and 0x7f) become {@code \xHH} so
     * a request cannot forge a line; {@code "} and {@code \} stay (messages quote values);
     * bytes 0x80-0xff are kept, so UTF-8 read as ISO-8859-1 survives; chars above 0xff as UTF-8.
     */
    void appendControlEscaped(CharSequence s) {
        int n = s.length();
        ensure(n);
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                hexEscape(c);
            } else if (c <= 0xff) {
                ensure(1);
                buf[len++] = (byte) c;
            } else {
                i = appendUtf8Char(s, i, Escape.NONE);
            }
        }
    }

    /** Encodes the char (or surrogate pair) at {@code i} as UTF-8; returns the last index used. */
    private int appendUtf8Char(CharSequence s, int i, Escape escape) {
        char c = s.charAt(i);
        int cp = c;
        int last = i;
        if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
            cp = Character.toCodePoint(c, s.charAt(i + 1));
            last = i + 1;
        } else if (Character.isSurrogate(c)) {
            cp = '?';
        }
        if (cp < 0x80) {
            escapeByte(cp, escape);
        } else if (cp < 0x800) {
            escapeByte(0xc0 | cp >> 6, escape);
            escapeByte(0x80 | cp & 0x3f, escape);
        } else if (cp < 0x10000) {
            escapeByte(0xe0 | cp >> 12, escape);
            escapeByte(0x80 | cp >> 6 & 0x3f, escape);
            escapeByte(0x80 | cp & 0x3f, escape);
        } else {
            escapeByte(0xf0 | cp >> 18, escape);
            escapeByte(0x80 | cp >> 12 & 0x3f, escape);
            escapeByte(0x80 | cp >> 6 & 0x3f, escape);
            escapeByte(0x80 | cp & 0x3f, escape);
        }
        return last;
    }

    private void escapeByte(int b, Escape escape) {
        switch (escape) {
            case DEFAULT -> {
                if (b == '"' || b == '\\' || b < 0x20 || b >= 0x7f) {
                    hexEscape(b);
                    return;
                }
            }
            case JSON -> {
                if (b == '"' || b == '\\') {
                    ensure(2);
                    buf[len++] = '\\';
                    buf[len++] = (byte) b;
                    return;
                }
                if (b < 0x20) {
                    jsonControl(b);
                    return;
                }
            }
            case NONE -> { }
        }
        ensure(1);
        buf[len++] = (byte) b;
    }

    private void jsonControl(int b) {
        char named = switch (b) {
            case '\n' -> 'n';
            case '\r' -> 'r';
            case '\t' -> 't';
            case '\b' -> 'b';
            case '\f' -> 'f';
            default -> 0;
        };
        if (named != 0) {
            ensure(2);
            buf[len++] = '\\';
            buf[len++] = (byte) named;
            return;
        }
        ensure(6);
        buf[len++] = '\\';
        buf[len++] = 'u';
        buf[len++] = '0';
        buf[len++] = '0';
        buf[len++] = HEX[b >> 4];
        buf[len++] = HEX[b & 0xf];
    }

    private void hexEscape(int b) {
        ensure(4);
        buf[len++] = '\\';
        buf[len++] = 'x';
        buf[len++] = HEX[b >> 4 & 0xf];
        buf[len++] = HEX[b & 0xf];
    }

    private void ensure(int extra) {
        int needed = len + extra;
        if (needed <= buf.length && needed >= 0) {
            return;
        }
        if (needed < 0 || needed > MAX_CAPACITY) {
            throw new OutOfMemoryError("log line too long: " + ((long) len + extra) + " bytes");
        }
        int grown = (int) Math.min(MAX_CAPACITY, Math.max((long) buf.length * 2, 64));
        buf = Arrays.copyOf(buf, Math.max(grown, needed));
    }
}
