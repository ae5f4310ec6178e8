package io.tunnelgate.access;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Address text read as nginx reads it at request time ({@code ngx_inet_addr}, {@code ngx_parse_addr[_port]}). */
class IpAddressesTest {
    @ParameterizedTest
    @CsvSource({"127.0.0.1, 2130706433", "0.0.0.0, 0", "010.0.0.1, 167772161", "1..2.3, 16777731",
        "255.255.255.254, 4294967294"})
    void dottedQuadsParseAsNginxDoes(String text, long value) {
        assertThat(IpAddresses.inetAddr(text, 0, text.length())).isEqualTo(value);
    }

    @ParameterizedTest
    @ValueSource(strings = {"255.255.255.255", "1.2.3", "1.2.3.4.5", "256.1.1.1", "1.2.3.4 ", "a.b.c.d", ""})
    void otherTextIsInaddrNone(String text) {
        assertThat(IpAddresses.inetAddr(text, 0, text.length())).isEqualTo(IpAddresses.NONE);
    }

    @ParameterizedTest
    @CsvSource({"10.1.2.3, 4", "::1, 16", "2001:db8::7, 16", "::ffff:10.0.0.1, 16"})
    void addressesParse(String text, int length) {
        assertThat(IpAddresses.parse(text)).hasSize(length);
    }

    @ParameterizedTest
    @ValueSource(strings = {"[::1]", "fe80::1%eth0", "localhost", "10.0.0.1:80", "1:2", "", "-"})
    void nonAddressesDoNot(String text) {
        assertThat(IpAddresses.parse(text)).isNull();
    }

    @ParameterizedTest
    @CsvSource({"10.0.0.1:8080, 4", "[2001:db8::1]:443, 16", "10.0.0.1, 4", "2001:db8::1, 16"})
    void addressesWithPortsParse(String text, int length) {
        assertThat(IpAddresses.parseWithPort(text, 0, text.length())).hasSize(length);
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.0.0.1:0", "10.0.0.1:65536", "10.0.0.1:", "[::1]", "[::1]x", "host:80"})
    void badPortsDoNot(String text) {
        assertThat(IpAddresses.parseWithPort(text, 0, text.length())).isNull();
    }
}
