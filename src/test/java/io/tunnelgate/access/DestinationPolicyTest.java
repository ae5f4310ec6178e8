package io.tunnelgate.access;

import static org.assertj.core.api.Assertions.assertThat;

import io.tunnelgate.config.SourcePos;
import io.tunnelgate.script.ScriptContext;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The destination matcher without a proxy: every named set's edges, CIDR rules of both families,
 * the IPv6 forms of IPv4 normalised before matching, first-match order, and the host patterns.
 */
class DestinationPolicyTest {
    private static final SourcePos POS = new SourcePos(Path.of("/etc/tg.conf"), 7);

    private static DestinationRule rule(boolean allow, String arg) {
        List<Cidr> named = DestinationNets.named(arg);
        List<Cidr> nets = arg.equals("all") ? List.of()
                : named != null ? named : List.of(DestinationNets.normalize(Cidr.parse(arg).cidr()));
        return new DestinationRule(allow, arg.equals("all"), nets, (allow ? "destination_allow " : "destination_deny ")
                + arg, POS);
    }

    private static DestinationPolicy<ScriptContext> deny(String... args) {
        return new DestinationPolicy<>(Arrays.stream(args).map(a -> rule(false, a)).toList(), List.of());
    }

    private static InetAddress ip(String text) throws Exception {
        return InetAddress.getByAddress(IpAddresses.parse(text));
    }

    @ParameterizedTest(name = "{0} covers {1}")
    @CsvSource({
        "loopback, 127.0.0.1", "loopback, 127.255.255.254", "loopback, ::1",
        "private, 10.0.0.0", "private, 10.255.255.255", "private, 172.16.0.1", "private, 172.31.255.255",
        "private, 192.168.1.1", "private, 100.64.0.1", "private, 100.127.255.255", "private, fc00::1",
        "private, fdff:ffff::1",
        "link-local, 169.254.169.254", "link-local, 169.254.0.1", "link-local, fe80::1", "link-local, febf::1",
        "link-local, fd00:ec2::254",
        "multicast, 224.0.0.1", "multicast, 239.255.255.255", "multicast, ff02::1",
        "unspecified, 0.0.0.0", "unspecified, 0.255.255.255", "unspecified, ::",
        "10.1.0.0/16, 10.1.2.3", "2001:db8::/32, 2001:db8:1::5", "all, 8.8.8.8", "192.0.2.7, 192.0.2.7"})
    void namedSetsAndNetworksCoverTheirAddresses(String arg, String address) throws Exception {
        DestinationRule r = deny(arg).denial(ip(address));
        assertThat(r).isNotNull();
        assertThat(r.toString()).isEqualTo("\"destination_deny " + arg + "\" in /etc/tg.conf:7");
    }

    @ParameterizedTest(name = "{0} leaves {1}")
    @CsvSource({
        "loopback, 128.0.0.1", "loopback, ::2", "private, 11.0.0.1", "private, 172.15.255.255",
        "private, 172.32.0.0", "private, 192.169.0.0", "private, 100.63.255.255", "private, 100.128.0.0",
        "private, fe00::1", "link-local, 169.253.255.255", "link-local, fec0::1", "link-local, fd00:ec2::253",
        "multicast, 223.255.255.255", "multicast, 240.0.0.0", "multicast, fe00::1",
        "unspecified, 1.0.0.0", "unspecified, ::1", "10.1.0.0/16, 10.2.0.1", "2001:db8::/32, 2001:db9::1"})
    void andNothingElse(String arg, String address) throws Exception {
        assertThat(deny(arg).denial(ip(address))).isNull();
    }

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource({"::ffff:127.0.0.1, 127.0.0.1", "::127.0.0.1, 127.0.0.1", "64:ff9b::a9fe:a9fe, 169.254.169.254",
        "::ffff:10.1.2.3, 10.1.2.3", "::1, ::1", "::, ::", "2001:db8::1, 2001:db8::1"})
    void ipv6FormsOfIpv4AreMatchedAsIpv4(String address, String as) throws Exception {
        byte[] expected = IpAddresses.parse(as);
        assertThat(DestinationNets.normalize(IpAddresses.parse(address))).isEqualTo(expected);
    }

    @Test
    void mappedLoopbackIsDeniedByTheIpv4Rules() throws Exception {
        assertThat(deny("loopback").denial(ip("::ffff:127.0.0.1"))).isNotNull();
        assertThat(deny("127.0.0.0/8").denial(ip("::ffff:127.0.0.1"))).isNotNull();
        assertThat(deny("private").denial(ip("64:ff9b::a00:1"))).isNotNull();
    }

    @Test
    void ruleNetworksWrittenInMappedFormMatchIpv4() throws Exception {
        assertThat(deny("::ffff:10.0.0.0/104").denial(ip("10.9.9.9"))).isNotNull();
        assertThat(deny("::ffff:10.0.0.0/104").denial(ip("11.0.0.1"))).isNull();
    }

    @Test
    void theFirstMatchingRuleDecides() throws Exception {
        DestinationPolicy<ScriptContext> p = new DestinationPolicy<>(
                List.of(rule(true, "127.0.0.2"), rule(false, "loopback"), rule(true, "all")), List.of());
        assertThat(p.denial(ip("127.0.0.2"))).isNull();
        assertThat(p.denial(ip("127.0.0.1"))).isNotNull().extracting(DestinationRule::text)
                .isEqualTo("destination_deny loopback");
        assertThat(p.denial(ip("192.0.2.1"))).isNull();
        assertThat(new DestinationPolicy<>(List.of(rule(true, "10.0.0.0/8")), List.of()).denial(ip("127.0.0.1")))
                .as("no match allows").isNull();
    }

    private static HostRule<ScriptContext> host(boolean allow, HostPattern<ScriptContext> p) {
        return new HostRule<>(allow, List.of(p), allow ? "destination_host_allow" : "destination_host_deny", POS);
    }

    @Test
    void hostPatternsMatchAsDocumented() {
        assertThat(HostPattern.exact("Example.COM.").matches(null, "example.com")).isTrue();
        assertThat(HostPattern.exact("example.com").matches(null, "www.example.com")).isFalse();
        assertThat(HostPattern.subdomains("example.com").matches(null, "a.b.example.com")).isTrue();
        assertThat(HostPattern.subdomains("example.com").matches(null, "example.com")).isFalse();
        assertThat(HostPattern.subdomains("example.com").matches(null, "badexample.com")).isFalse();
        assertThat(HostPattern.domain("example.com").matches(null, "example.com")).isTrue();
        assertThat(HostPattern.domain("example.com").matches(null, "x.example.com")).isTrue();
        assertThat(HostPattern.domain("example.com").matches(null, "xexample.com")).isFalse();
        assertThat(HostPattern.regex("^api[0-9]+\\.", false).matches(null, "api7.example.com")).isTrue();
        assertThat(HostPattern.regex("EXAMPLE", true).matches(null, "example.com")).isTrue();
        assertThat(HostPattern.regex("EXAMPLE", false).matches(null, "example.com")).isFalse();
    }

    @Test
    void hostRulesAreReadInOrderOnTheNormalisedHost() {
        DestinationPolicy<ScriptContext> p = new DestinationPolicy<>(List.of(), List.of(
                host(true, HostPattern.domain("example.com")), host(false, HostPattern.all())));
        assertThat(p.hostDenial(null, "WWW.Example.com.")).isNull();
        assertThat(p.hostDenial(null, "example.org")).isNotNull();
        assertThat(DestinationPolicy.hostSubject("[::1]")).isEqualTo("::1");
    }
}
