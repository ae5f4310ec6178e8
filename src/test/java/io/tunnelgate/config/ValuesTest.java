package io.tunnelgate.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The nginx value parsers, with nginx's accepted and rejected inputs. */
class ValuesTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "0|0",
        "30|30000",
        "500ms|500",
        "1s|1000",
        "2m|120000",
        "1h|3600000",
        "1d|86400000",
        "1w|604800000",
        "1m30s|90000",
        "1s 500ms|1500",
        "1h 1m|3660000",
        "'1h  1m 1s  '|3661000",
        "1w2d3h4m5s6ms|788645006",
        "0ms|0",
        // ngx_parse_time quirks kept on purpose
        "1 2|3000",
        "1s5|6000",
        "1hm|3600000",
        "h1|1000",
        "'1s '|1000",
        "9223372036854775ms|9223372036854775",
        "9223372036854775|9223372036854775000",
    })
    void timeMillisAccepted(String in, long expected) {
        assertThat(Values.parseTimeMillis(in)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "", " ", "s", "ms", "-1", "1x", "1y", "1M", "1s1s", "1m1h", "500ms1s", "1ms1ms", "1S", "1.5s",
        " 1s", "1 500ms", "9223372036854776", "9223372036854775808ms", "9223372036854775807ms1ms",
        "10000000000000000000",
    })
    void timeMillisRejected(String in) {
        assertThat(Values.parseTimeMillis(in)).isEqualTo(-1);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "0|0",
        "60|60",
        "10s|10",
        "5m|300",
        "1h|3600",
        "1d|86400",
        "1w|604800",
        "1M|2592000",
        "1y|31536000",
        "1y1M|34128000",
        "1y 1M 1w 1d 1h 1m 1s|34822861",
        "9223372036854775807|9223372036854775807",
    })
    void timeSecondsAccepted(String in, long expected) {
        assertThat(Values.parseTimeSeconds(in)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "1ms", "1M1y", "1y1y", "1s1m", "x", "9223372036854775808", "292471208678y"})
    void timeSecondsRejected(String in) {
        assertThat(Values.parseTimeSeconds(in)).isEqualTo(-1);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "0|0",
        "512|512",
        "8k|8192",
        "8K|8192",
        "1m|1048576",
        "2M|2097152",
        "9223372036854775807|9223372036854775807",
        "9007199254740991k|9223372036854774784",
    })
    void sizeAccepted(String in, long expected) {
        assertThat(Values.parseSize(in)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "k", "-1", "1g", "1G", "1kb", "1 k", " 1", "1.5k", "9007199254740992k",
        "9223372036854775808"})
    void sizeRejected(String in) {
        assertThat(Values.parseSize(in)).isEqualTo(-1);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "0|0",
        "100|100",
        "1k|1024",
        "1M|1048576",
        "1g|1073741824",
        "3G|3221225472",
        "8589934591G|9223372035781033984",
    })
    void offsetAccepted(String in, long expected) {
        assertThat(Values.parseOffset(in)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "g", "1t", "-5", "8589934592G", "1gb"})
    void offsetRejected(String in) {
        assertThat(Values.parseOffset(in)).isEqualTo(-1);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"0|0", "7|7", "007|7", "65535|65535", "2147483647|2147483647"})
    void intAccepted(String in, int expected) {
        assertThat(Values.parseInt(in)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "-1", "+1", "1a", " 1", "1 ", "2147483648", "99999999999999999999"})
    void intRejected(String in) {
        assertThat(Values.parseInt(in)).isEqualTo(-1);
    }
}
