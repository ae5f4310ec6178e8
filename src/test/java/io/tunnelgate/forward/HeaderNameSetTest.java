package io.tunnelgate.forward;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.util.AsciiString;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Header-name sets and Connection tokens, matched without ASCII case and without lower-case copies. */
class HeaderNameSetTest {
    @Test
    void containsNamesInAnyCaseAndAnyCharSequence() {
        HeaderNameSet set = HeaderNameSet.of("connection", "keep-alive", "te");
        assertThat(set.contains("Connection")).isTrue();
        assertThat(set.contains(AsciiString.of("KEEP-ALIVE"))).isTrue();
        assertThat(set.contains("TE")).isTrue();
        assertThat(set.contains("tea")).isFalse();
        assertThat(set.contains("t")).isFalse();
        assertThat(HeaderNameSet.of(List.of()).contains("te")).isFalse();
    }

    @Test
    void listedFindsConnectionTokensWithSpacesAndCase() {
        List<String> values = List.of("keep-alive,  X-Hop ", "close,,x-other");
        assertThat(HeaderNameSet.listed(values, "x-hop")).isTrue();
        assertThat(HeaderNameSet.listed(values, AsciiString.of("X-OTHER"))).isTrue();
        assertThat(HeaderNameSet.listed(values, "Keep-Alive")).isTrue();
        assertThat(HeaderNameSet.listed(values, "x-ho")).isFalse();
        assertThat(HeaderNameSet.listed(values, "hop")).isFalse();
        assertThat(HeaderNameSet.listed(values, "")).isFalse();
        assertThat(HeaderNameSet.listed(List.of(), "x-hop")).isFalse();
    }
}
