package io.tunnelgate.log;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.util.AsciiString;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class LineBuilderTest {

    private static byte[] latin1(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] escaped(String value, Escape escape) {
        return new LineBuilder(4).appendEscaped(value, escape).toByteArray();
    }

    @Test
    void defaultEscapeHexEscapesQuotesBackslashControlsAndHighBytes() {
        String value = "a\"b\\c\n\r\t\u0000\u001f \u007f\u0080\u00ff~z";
        assertThat(escaped(value, Escape.DEFAULT))
                .isEqualTo(latin1("a\\x22b\\x5Cc\\x0A\\x0D\\x09\\x00\\x1F \\x7F\\x80\\xFF~z"));
    }

    @Test
    void defaultEscapeLeavesPrintableAsciiAlone() {
        String printable = "GET http://h:8080/p?q=1&r=[x]{y}|'%' HTTP/1.1";
        assertThat(escaped(printable, Escape.DEFAULT)).isEqualTo(latin1(printable));
    }

    @Test
    void jsonEscapeUsesShortFormsAndUppercaseUnicodeEscapes() {
        String value = "a\"b\\c\n\r\t\b\f\u0000\u0001\u001b\u001f \u007f\u00e9/";
        byte[] expected = new LineBuilder()
                .appendAscii("a\\\"b\\\\c\\n\\r\\t\\b\\f")
                .appendAscii("\\u0000\\u0001\\u001B\\u001F ")
                .append((byte) 0x7f).append((byte) 0xe9).appendAscii('/')
                .toByteArray();
        assertThat(escaped(value, Escape.JSON)).isEqualTo(expected);
    }

    @Test
    void noneEscapeCopiesBytes() {
        String value = "a\"\\\n\u00ff";
        assertThat(escaped(value, Escape.NONE)).isEqualTo(new byte[] {'a', '"', '\\', '\n', (byte) 0xff});
    }

    @Test
    void charsAboveLatin1AreUtf8ThenEscapedPerByte() {
        // U+20AC is E2 82 AC in UTF-8; U+1F600 (a surrogate pair) is F0 9F 98 80.
        assertThat(escaped("\u20ac", Escape.DEFAULT)).isEqualTo(latin1("\\xE2\\x82\\xAC"));
        assertThat(escaped("\u20ac", Escape.JSON)).isEqualTo(new byte[] {(byte) 0xe2, (byte) 0x82, (byte) 0xac});
        assertThat(escaped("\ud83d\ude00", Escape.DEFAULT)).isEqualTo(latin1("\\xF0\\x9F\\x98\\x80"));
        assertThat(escaped("\ud83d", Escape.NONE)).isEqualTo(latin1("?"));
    }

    @Test
    void escapedRawBytes() {
        byte[] raw = {'x', '"', (byte) 0x90, '\n', 'y'};
        assertThat(new LineBuilder().appendEscaped(raw, 1, 3, Escape.DEFAULT).toByteArray())
                .isEqualTo(latin1("\\x22\\x90\\x0A"));
        assertThat(new LineBuilder().appendEscaped(raw, 0, 5, Escape.JSON).toByteArray())
                .isEqualTo(new byte[] {'x', '\\', '"', (byte) 0x90, '\\', 'n', 'y'});
    }

    @Test
    void asciiTakesTheLowByteOfEachChar() {
        assertThat(new LineBuilder().appendAscii("h\u00e9\u0141").toByteArray())
                .isEqualTo(new byte[] {'h', (byte) 0xe9, (byte) 0x41});
        assertThat(new LineBuilder().appendAscii(new StringBuilder("s\u00ff")).toByteArray())
                .isEqualTo(new byte[] {'s', (byte) 0xff});
        // An AsciiString can be a window on a larger array (no copy): only the window is taken.
        AsciiString window = new AsciiString(latin1("xxhost:443yy"), 2, 8, false);
        assertThat(new LineBuilder().appendAscii("[").appendAscii(window).appendAscii("]").toString())
                .isEqualTo("[host:443]");
    }

    @Test
    void utf8EncodesConfigText() {
        assertThat(new LineBuilder().appendUtf8("\u00e9\u20ac\ud83d\ude00a").toByteArray())
                .isEqualTo("\u00e9\u20ac\ud83d\ude00a".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void appendLongCoversSignsAndExtremes() {
        LineBuilder b = new LineBuilder(1);
        b.appendLong(0).append((byte) ' ').appendLong(7).append((byte) ' ').appendLong(-42).append((byte) ' ')
                .appendLong(1234567890123L).append((byte) ' ').appendLong(Long.MAX_VALUE).append((byte) ' ')
                .appendLong(Long.MIN_VALUE);
        assertThat(b.toString())
                .isEqualTo("0 7 -42 1234567890123 9223372036854775807 -9223372036854775808");
    }

    @Test
    void secondsMillisIsNginxTimeFormat() {
        LineBuilder b = new LineBuilder();
        for (long ms : new long[] {0, 2, 45, 999, 1000, 1500, 61_007, -5}) {
            b.appendSecondsMillis(ms).appendAscii(' ');
        }
        assertThat(b.toString()).isEqualTo("0.000 0.002 0.045 0.999 1.000 1.500 61.007 0.000 ");
    }

    @Test
    void growsResetsAndCopies() {
        LineBuilder b = new LineBuilder(0);
        String big = "x".repeat(10_000);
        b.appendAscii(big);
        assertThat(b.length()).isEqualTo(10_000);
        byte[] first = b.toByteArray();
        b.reset().appendAscii("ok\n");
        assertThat(b.length()).isEqualTo(3);
        assertThat(b.toByteArray()).isEqualTo(latin1("ok\n"));
        assertThat(first).hasSize(10_000);
    }

    @Test
    void errorLogEscapingOnlyTouchesControls() {
        LineBuilder b = new LineBuilder();
        b.appendControlEscaped("a\"b\\\r\nX-Forged: 1\u001b[31m\u007f\u00c3\u00a9\u20ac");
        byte[] expected = new LineBuilder().appendAscii("a\"b\\\\x0D\\x0AX-Forged: 1\\x1B[31m\\x7F")
                .append((byte) 0xc3).append((byte) 0xa9).appendUtf8("\u20ac").toByteArray();
        assertThat(b.toByteArray()).isEqualTo(expected);
    }
}
