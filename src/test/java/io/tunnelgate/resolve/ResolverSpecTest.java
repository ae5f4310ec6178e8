package io.tunnelgate.resolve;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The {@code resolver} directive's arguments, with nginx's error messages. */
class ResolverSpecTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(7);

    /** Config-time lookups in these tests never reach the system resolver. */
    private final List<String> looked = new ArrayList<>();

    private InetAddress[] fakeLookup(String host) throws UnknownHostException {
        looked.add(host);
        if (host.equals("dns.test")) {
            return new InetAddress[] {InetAddress.getByName("::1"), InetAddress.getByName("127.0.0.53")};
        }
        throw new UnknownHostException(host);
    }

    private ResolverSpec parse(String... args) {
        return ResolverArgs.parse(List.of(args), TIMEOUT, this::fakeLookup);
    }

    private static InetSocketAddress at(String literal, int port) throws UnknownHostException {
        return new InetSocketAddress(InetAddress.getByName(literal), port);
    }

    @Test
    void singleAddressDefaultsToPort53AndBothFamilies() throws Exception {
        ResolverSpec spec = parse("127.0.0.1");
        assertThat(spec.servers()).containsExactly(at("127.0.0.1", 53));
        assertThat(spec.system()).isFalse();
        assertThat(spec.valid()).isNull();
        assertThat(spec.ipv4()).isTrue();
        assertThat(spec.ipv6()).isTrue();
        assertThat(spec.timeout()).isEqualTo(TIMEOUT);
    }

    @Test
    void allAddressFormsAndParametersInAnyOrder() throws Exception {
        ResolverSpec spec = parse("valid=30s", "127.0.0.1:5353", "[::1]", "ipv6=off", "[::1]:54",
                "status_zone=dns", "ipv4=on");
        assertThat(spec.servers()).containsExactly(at("127.0.0.1", 5353), at("::1", 53), at("::1", 54));
        assertThat(spec.valid()).isEqualTo(Duration.ofSeconds(30));
        assertThat(spec.ipv4()).isTrue();
        assertThat(spec.ipv6()).isFalse();
        assertThat(looked).isEmpty();
    }

    @Test
    void ipv4LiteralWithLeadingZerosIsDecimalAndNeverLookedUp() throws Exception {
        assertThat(parse("127.0.0.010:53").servers()).containsExactly(at("127.0.0.10", 53));
        assertThat(looked).isEmpty();
    }

    @Test
    void hostNameBecomesOneServerPerAddressIpv4First() throws Exception {
        ResolverSpec spec = parse("dns.test:5300");
        assertThat(spec.servers()).containsExactly(at("127.0.0.53", 5300), at("::1", 5300));
        assertThat(looked).containsExactly("dns.test");
    }

    @Test
    void systemIsTunnelgatesOwnSingleArgument() {
        ResolverSpec spec = parse("system");
        assertThat(spec.system()).isTrue();
        assertThat(spec.servers()).isEmpty();
        assertThat(spec.ipv4()).isTrue();
        assertThat(spec.ipv6()).isTrue();
        assertThat(spec.timeout()).isEqualTo(TIMEOUT);
    }

    @Test
    void systemAmongOtherArgumentsIsAHostName() {
        assertThatThrownBy(() -> parse("system", "127.0.0.1"))
                .hasMessage("host not found in resolver \"system\"");
    }

    @ParameterizedTest
    @CsvSource({
        "valid=30s, 30",
        "valid=5m, 300",
        "valid=10, 10",
        "valid=1h30m, 5400",
        "valid=1h 30m 5, 5405",
        "valid=1d, 86400",
        "valid=1w, 604800",
        "valid=1M, 2592000",
        "valid=1y, 31536000",
    })
    void validUsesNginxTimeInSeconds(String arg, long seconds) {
        assertThat(parse("127.0.0.1", arg).valid()).isEqualTo(Duration.ofSeconds(seconds));
    }

    @Test
    void validZeroMeansUseTheTtl() {
        assertThat(parse("127.0.0.1", "valid=0").valid()).isNull();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "valid=abc | invalid parameter: valid=abc",
        "valid= | invalid parameter: valid=",
        "valid=5ms | invalid parameter: valid=5ms",
        "valid=30m1h | invalid parameter: valid=30m1h",
        "valid=-1 | invalid parameter: valid=-1",
        "ipv4=yes | invalid parameter: ipv4=yes",
        "ipv6=ON | invalid parameter: ipv6=ON",
        "127.0.0.1:0 | invalid port in resolver \"127.0.0.1:0\"",
        "127.0.0.1:65536 | invalid port in resolver \"127.0.0.1:65536\"",
        "127.0.0.1:dns | invalid port in resolver \"127.0.0.1:dns\"",
        "127.0.0.1: | invalid port in resolver \"127.0.0.1:\"",
        "::1 | invalid port in resolver \"::1\"",
        "[::1 | invalid host in resolver \"[::1\"",
        "[::1]53 | invalid host in resolver \"[::1]53\"",
        "[::1]:x | invalid port in resolver \"[::1]:x\"",
        "[zz::q] | invalid IPv6 address in resolver \"[zz::q]\"",
        "[] | no host in resolver \"[]\"",
        ":53 | no host in resolver \":53\"",
        "127.0.0.1/24 | invalid host in resolver \"127.0.0.1/24\"",
        "nowhere.test | host not found in resolver \"nowhere.test\"",
        "nowhere.test:53 | host not found in resolver \"nowhere.test:53\"",
    })
    void badArgumentsGiveNginxMessages(String arg, String message) {
        assertThatThrownBy(() -> parse("127.0.0.1", arg))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(message);
    }

    @Test
    void bothFamiliesOffIsRejected() {
        assertThatThrownBy(() -> parse("127.0.0.1", "ipv4=off", "ipv6=off"))
                .hasMessage("\"ipv4\" and \"ipv6\" cannot both be \"off\"");
    }

    @Test
    void parametersWithoutServersAreRejected() {
        assertThatThrownBy(() -> parse("valid=30s", "ipv6=off")).hasMessage("no name servers defined");
        assertThatThrownBy(() -> parse()).hasMessage("no name servers defined");
    }

    @Test
    void firstBadArgumentWins() {
        assertThatThrownBy(() -> parse("nowhere.test", "valid=x"))
                .hasMessage("host not found in resolver \"nowhere.test\"");
    }

    @Test
    void publicParseUsesTheGivenTimeout() {
        ResolverSpec spec = ResolverSpec.parse(List.of("127.0.0.1:5353", "ipv6=off"), Duration.ofMillis(300));
        assertThat(spec.timeout()).isEqualTo(Duration.ofMillis(300));
        assertThat(spec.ipv6()).isFalse();
    }
}
