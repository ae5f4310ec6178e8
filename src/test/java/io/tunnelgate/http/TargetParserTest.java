package io.tunnelgate.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The CONNECT authority and the URI forms, parsed as nginx with the core patch does (spec §3.1). */
class TargetParserTest {

    @Test
    void connectAuthorityGivesLowerCaseHostAndThePortAsWritten() throws Exception {
        RequestTarget t = TargetParser.connect("Example.COM.:0443");
        assertThat(t).isEqualTo(new RequestTarget(RequestTarget.Form.AUTHORITY, "example.com", "0443", 443, "", "",
                ""));
        assertThat(t.hasArgs()).isFalse();
    }

    @Test
    void connectAcceptsBracketedLiteralsWithTheBracketsKept() throws Exception {
        assertThat(TargetParser.connect("[::1]:443").host()).isEqualTo("[::1]");
        assertThat(TargetParser.connect("[2001:DB8::a]:1").host()).isEqualTo("[2001:db8::a]");
        assertThat(TargetParser.connect("[v1.fe80::a+b]:22").host()).isEqualTo("[v1.fe80::a+b]");
    }

    @Test
    void connectAcceptsThePortRange() throws Exception {
        assertThat(TargetParser.connect("a:1").port()).isEqualTo(1);
        assertThat(TargetParser.connect("a-b.c9:65535").port()).isEqualTo(65535);
        assertThat(TargetParser.connect("127.0.0.1:80").host()).isEqualTo("127.0.0.1");
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"", "/", "example.com", "[::1]", ":443", "a_b:443", "a/b:443", "a%41:443", "u@h:443",
        "*.a:443", "a*:443", "a..b:443", "[::1:443", "[::1]x:443", "[::/1]:443", "a b:443", "\u00e9.test:443"})
    void connectRejectsBadHosts(String target) {
        assertThatThrownBy(() -> TargetParser.connect(target)).isInstanceOfSatisfying(BadRequestException.class,
                e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.getMessage()).isEqualTo("client sent invalid host in request line");
                });
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"a:", "a:0", "a:00", "a:65536", "a:99999999999", "a:4x3", "a:443 ", "a:-1", "a:+443",
        "http://h:443/", "[::1]:"})
    void connectRejectsBadPorts(String target) {
        assertThatThrownBy(() -> TargetParser.connect(target)).isInstanceOfSatisfying(BadRequestException.class,
                e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.getMessage()).isEqualTo("client sent invalid port in request line");
                });
    }

    @Test
    void originFormSplitsPathAndArgsAndNormalisesForLocations() throws Exception {
        RequestTarget t = TargetParser.uri("/a/./b/../c?x=1&y");
        assertThat(t).isEqualTo(new RequestTarget(RequestTarget.Form.ORIGIN, null, null, 0, "/a/./b/../c", "x=1&y",
                "/a/c"));
        assertThat(t.hasArgs()).isTrue();
        assertThat(TargetParser.uri("/?").args()).isEmpty();
    }

    @Test
    void absoluteFormTakesHostAndPortFromTheUri() throws Exception {
        assertThat(TargetParser.uri("http://Example.com:8080/p?q")).isEqualTo(new RequestTarget(
                RequestTarget.Form.ABSOLUTE, "example.com", "8080", 8080, "/p", "q", "/p"));
        assertThat(TargetParser.uri("http://h")).isEqualTo(new RequestTarget(
                RequestTarget.Form.ABSOLUTE, "h", null, 80, "/", "", "/"));
        assertThat(TargetParser.uri("HTTP://h?x=1")).isEqualTo(new RequestTarget(
                RequestTarget.Form.ABSOLUTE, "h", null, 80, "/", "x=1", "/"));
        assertThat(TargetParser.uri("http://h:/p").port()).isEqualTo(80);
        assertThat(TargetParser.uri("http://[::1]:81/").host()).isEqualTo("[::1]");
        assertThat(TargetParser.uri("http://[::1]").path()).isEqualTo("/");
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"*", "h:80/p", "1http://h/", "http:/h/", "http://h:x/", "http://h:0/", "http://h_1/",
        "http://a..b/", "http://[::1/", "http://[::1/]", "/%00", "/%zz", "/..", "/a/../../b"})
    void badUrisAre400(String target) {
        assertThatThrownBy(() -> TargetParser.uri(target)).isInstanceOfSatisfying(BadRequestException.class,
                e -> assertThat(e.status()).isEqualTo(400));
    }

    @Test
    void parsePortReadsDigitsOnlyUpTo65535() {
        assertThat(TargetParser.parsePort("00080")).isEqualTo(80);
        assertThat(TargetParser.parsePort("65535")).isEqualTo(65535);
        assertThat(TargetParser.parsePort("0")).isZero();
        assertThat(TargetParser.parsePort("65536")).isNegative();
        assertThat(TargetParser.parsePort("")).isNegative();
        assertThat(TargetParser.parsePort("1a")).isNegative();
        assertThat(TargetParser.parsePort("99999999999999999999")).isNegative();
    }
}
