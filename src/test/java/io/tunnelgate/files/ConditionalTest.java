package io.tunnelgate.files;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * nginx's not-modified filter for a file of mtime 1000 ({@code Thu, 01 Jan 1970 00:16:40 GMT})
 * and ETag {@code "3e8-64"}, and the date forms nginx parses.
 */
class ConditionalTest {
    private static final String AT = "Thu, 01 Jan 1970 00:16:40 GMT";

    @ParameterizedTest(name = "{0}: {1} -> {2}")
    @CsvSource(delimiter = '|', value = {
        "If-Modified-Since   | " + AT + "                         | NOT_MODIFIED",
        "If-Modified-Since   | Thursday, 01-Jan-70 00:16:40 GMT   | NOT_MODIFIED",
        "If-Modified-Since   | Thu Jan  1 00:16:40 1970           | NOT_MODIFIED",
        "If-Modified-Since   | Thu, 01 Jan 1970 00:16:41 GMT      | SEND",
        "If-Modified-Since   | Thu, 01 Jan 1970 00:16:39 GMT      | SEND",
        "If-Modified-Since   | garbage                            | SEND",
        "If-None-Match       | \"3e8-64\"                         | NOT_MODIFIED",
        "If-None-Match       | W/\"3e8-64\"                       | NOT_MODIFIED",
        "If-None-Match       | \"x\", \"3e8-64\"                  | NOT_MODIFIED",
        "If-None-Match       | *                                  | NOT_MODIFIED",
        "If-None-Match       | \"x\"                              | SEND",
        "If-Match            | \"3e8-64\"                         | SEND",
        "If-Match            | W/\"3e8-64\"                       | PRECONDITION_FAILED",
        "If-Match            | \"x\"                              | PRECONDITION_FAILED",
        "If-Unmodified-Since | " + AT + "                         | SEND",
        "If-Unmodified-Since | Thu, 01 Jan 1970 00:16:39 GMT      | PRECONDITION_FAILED",
        "If-Unmodified-Since | garbage                            | PRECONDITION_FAILED",
    })
    void decidesAsNginx(String header, String value, Conditional.Outcome expected) {
        HttpHeaders h = new DefaultHttpHeaders().add(header, value);
        assertThat(Conditional.check(h, 1000, "\"3e8-64\"")).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "Sun, 06 Nov 1994 08:49:37 GMT     | 784111777",
        "Sunday, 06-Nov-94 08:49:37 GMT    | 784111777",
        "Sun Nov  6 08:49:37 1994          | 784111777",
        "Sun, 06 Foo 1994 08:49:37 GMT     | -1",
        "Sun, 31 Feb 1994 08:49:37 GMT     | -1",
    })
    void parsesTheThreeHttpDateForms(String text, long expected) {
        assertThat(HttpDates.parse(text)).isEqualTo(expected);
    }
}
