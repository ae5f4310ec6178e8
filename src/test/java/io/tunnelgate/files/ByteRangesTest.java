package io.tunnelgate.files;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** nginx's Range parsing for a 100-byte file, limited to one range. */
class ByteRangesTest {
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "bytes=0-9       | 0-10",
        "bytes=90-       | 90-100",
        "bytes=-10       | 90-100",
        "bytes=-1000     | 0-100",
        "bytes=95-1000   | 95-100",
        "bytes= 5 - 6    | 5-7",
        "BYTES=1-1       | 1-2",
        "bytes=100-      | 416",
        "bytes=200-300   | 416",
        "bytes=abc       | 416",
        "bytes=5-4       | 416",
        "bytes=1-2x      | 416",
        "bytes=99999999999999999999-1 | 416",
        "bytes=200-300,5-6 | 5-7",
        "bytes=0-1,5-6   | whole",
        "bytes=-0        | 416",
        "items=0-1       | whole",
    })
    void parsesAsNginx(String range, String expected) {
        HttpHeaders h = new DefaultHttpHeaders().add("Range", range);
        assertThat(text(ByteRanges.choose(h, 100, 1000, "\"a\""))).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "\"a\"                          | 0-2",
        "\"b\"                          | whole",
        "Thu, 01 Jan 1970 00:16:40 GMT  | 0-2",
        "Thu, 01 Jan 1970 00:16:41 GMT  | whole",
    })
    void ifRangeMustMatchTheTagOrTheExactTime(String ifRange, String expected) {
        HttpHeaders h = new DefaultHttpHeaders().add("Range", "bytes=0-1").add("If-Range", ifRange);
        assertThat(text(ByteRanges.choose(h, 100, 1000, "\"a\""))).isEqualTo(expected);
    }

    private static String text(ByteRanges.Choice c) {
        if (c == ByteRanges.WHOLE) {
            return "whole";
        }
        return c == ByteRanges.UNSATISFIABLE ? "416" : c.start() + "-" + c.end();
    }
}
