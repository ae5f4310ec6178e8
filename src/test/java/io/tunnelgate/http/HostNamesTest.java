package io.tunnelgate.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** nginx's {@code ngx_http_validate_host}: what is refused, and how accepted hosts are normalised. */
class HostNamesTest {

    @ParameterizedTest(name = "\"{0}\" -> \"{1}\"")
    @CsvSource({
        "example.com, example.com",
        "Example.COM, example.com",
        "example.com., example.com",
        "EXAMPLE.com.:443, example.com",
        "host:8080, host",
        "host:, host",
        "[::1], [::1]",
        "[::1]:8080, [::1]",
        "[FE80::1], [fe80::1]",
        "127.0.0.1:80, 127.0.0.1",
        "a_b-c, a_b-c",
        "a\\b, a\\b",
        ".a, .a",
    })
    void acceptsAndNormalises(String host, String normalised) {
        assertThat(HostNames.validate(host)).isEqualTo(normalised);
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"", ".", ":80", "a..b", "example.com..", "a/b", "a b", "a\tb", "a\u0000b", "a\u007fb",
        "a\u001fb"})
    void refuses(String host) {
        assertThat(HostNames.validate(host)).isNull();
    }

    @ParameterizedTest(name = "\"{0}\" -> \"{1}\"")
    @CsvSource({
        // only ASCII letters fold, as nginx's ngx_strlow; other bytes (UTF-8 as ISO-8859-1 chars) stay
        "b\u00fccher.de, b\u00fccher.de",
        "XB\u00c3\u009c.DE, xb\u00c3\u009c.de",
    })
    void foldsAsciiLettersOnly(String host, String normalised) {
        assertThat(HostNames.validate(host)).isEqualTo(normalised);
    }
}
