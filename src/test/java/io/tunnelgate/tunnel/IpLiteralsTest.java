package io.tunnelgate.tunnel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * CONNECT hosts that are IP literals (spec §3.5): dotted-quad IPv4 read as decimal with leading
 * zeros allowed (never octal), bracketed IPv6; any other shape is a name for the resolver.
 */
class IpLiteralsTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "127.0.0.1, 127.0.0.1",
        "127.0.0.01, 127.0.0.1",
        "0127.0.0.010, 127.0.0.10",
        "0.0.0.0, 0.0.0.0",
        "255.255.255.255, 255.255.255.255",
        "000.000.000.000, 0.0.0.0",
        "010.8.8.8, 10.8.8.8",
    })
    void dottedQuadIsDecimal(String host, String address) throws Exception {
        InetAddress a = IpLiterals.parse(host);
        assertThat(a).isInstanceOf(Inet4Address.class);
        assertThat(a.getHostAddress()).isEqualTo(address);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"2130706433", "1.2.3", "1.2.3.4.5", "256.0.0.1", "1.2.3.256", "1..2.3", ".1.2.3",
        "1.2.3.", "0x7f.0.0.1", "1.2.3.4a", "localhost", "example.com", "1e2.0.0.1", "-1.2.3.4"})
    void otherShapesAreNamesToResolve(String host) throws Exception {
        assertThat(IpLiterals.parse(host)).isNull();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "[::1], 0:0:0:0:0:0:0:1",
        "[2001:db8::a], 2001:db8:0:0:0:0:0:a",
        "[FE80::1], fe80:0:0:0:0:0:0:1",
    })
    void bracketedIpv6IsUsedDirectly(String host, String address) throws Exception {
        InetAddress a = IpLiterals.parse(host);
        assertThat(a).isInstanceOf(Inet6Address.class);
        assertThat(a.getHostAddress()).isEqualTo(address);
    }

    @Test
    void ipv4MappedLiteralIsTheIpv4AddressItMaps() throws Exception {
        // the JDK hands out the IPv4 address; a dual-stack socket would reach the same place
        assertThat(IpLiterals.parse("[::ffff:127.0.0.1]").getHostAddress()).isEqualTo("127.0.0.1");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"[]", "[::1", "[1.2.3.4]", "[::g]", "[1:2:3:4:5:6:7:8:9]", "[v1.x]", "[example.com]"})
    void badBracketedLiteralsAreRefused(String host) {
        assertThatThrownBy(() -> IpLiterals.parse(host)).isInstanceOf(IpLiterals.InvalidLiteralException.class)
                .hasMessage("invalid IPv6 address");
    }
}
