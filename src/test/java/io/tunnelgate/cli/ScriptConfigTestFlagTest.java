package io.tunnelgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tunnelgate.testsupport.TestFiles;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code tunnelgate -t} on the directives of issue 4: inside {@code if} only the rewrite module's
 * directives are allowed, the module's directives nowhere but http/server (as their command table
 * says), and every mistake in {@code set}/{@code if}/{@code return}/{@code rewrite}/{@code allow}/
 * {@code proxy_connect_address}/{@code _bind}/{@code _response} is refused with nginx's message and
 * {@code file:line}. The line to name is marked with {@value #MARK}.
 */
class ScriptConfigTestFlagTest {
    private static final String MARK = "#<";

    @TempDir
    Path dir;

    /** A proxy_connect server with {@code body} inside it. */
    private static String server(String body) {
        return "http {\n    server {\n        listen 127.0.0.1:3128;\n        proxy_connect;\n        "
                + body.replace("\n", "\n        ") + "\n    }\n}\n";
    }

    /** {@code body} at http level, next to a valid server. */
    private static String http(String body) {
        return "http {\n    " + body.replace("\n", "\n    ")
                + "\n    server {\n        listen 127.0.0.1:3128;\n        proxy_connect;\n    }\n}\n";
    }

    /** {@code body} inside a server-level {@code if}. */
    private static String serverIf(String body) {
        return server("if ($host = \"a.test\") {\n    " + body.replace("\n", "\n    ") + "\n}");
    }

    /** {@code body} inside an {@code if} in a location. */
    private static String locationIf(String body) {
        return server("location / {\n    if ($arg_x) {\n        " + body.replace("\n", "\n        ") + "\n    }\n}");
    }

    private static String location(String body) {
        return server("location / {\n    " + body.replace("\n", "\n    ") + "\n}");
    }

    static Stream<Arguments> notAllowedInIf() {
        return Stream.of("proxy_connect_address 127.0.0.1:443;", "proxy_connect_bind 127.0.0.1;",
                        "proxy_connect_response \"x\";", "proxy_connect;", "proxy_connect_allow all;",
                        "proxy_connect_connect_timeout 1s;", "proxy_connect_data_timeout 1s;", "allow all;",
                        "deny all;", "resolver 127.0.0.1;", "location / { }", "proxy_pass http://a.test;")
                .flatMap(d -> Stream.of(Arguments.of(serverIf(d + " " + MARK), d),
                        Arguments.of(locationIf(d + " " + MARK), d)));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("notAllowedInIf")
    void onlyRewriteDirectivesAreAllowedInIf(String config, String directive) {
        assertFails(config, "\"" + name(directive) + "\" directive is not allowed here");
    }

    @ParameterizedTest
    @ValueSource(strings = {"proxy_connect_address 127.0.0.1:443;", "proxy_connect_bind 127.0.0.1;",
        "proxy_connect_response \"x\";"})
    void theModulesTargetDirectivesAreNotAllowedInALocation(String directive) {
        assertFails(location(directive + " " + MARK), "\"" + name(directive) + "\" directive is not allowed here");
    }

    @ParameterizedTest
    @ValueSource(strings = {"set $a 1;", "return 200;", "rewrite ^ /x;", "break;", "if ($a) { }"})
    void rewriteDirectivesAreNotAllowedAtHttpLevel(String directive) {
        assertFails(http(directive + " " + MARK), "\"" + name(directive) + "\" directive is not allowed here");
    }

    @Test
    void rewriteDirectivesNestInIf() {
        String config = server("""
                set $a "";
                if ($host ~* ^(?<sub>[a-z]+)\\.) {
                    set $a $sub;
                    if ($a = "www") {
                        rewrite ^/(.*)$ /www/$1 last;
                        break;
                    }
                    if (-f /etc/hostname) { return 403; }
                    return 302 http://other.test/;
                }
                rewrite_log on;
                uninitialized_variable_warn off;
                location / {
                    if ($a) { return 200 "$a"; }
                    allow 127.0.0.1;
                    deny all;
                }""");
        Path file = TestFiles.config(dir, config);
        ConfigTestFlagTest.Outcome o = ConfigTestFlagTest.run("-t", "-c", file.toString());
        assertThat(o.errLines()).containsExactly(
                "tunnelgate: the configuration file " + file + " syntax is ok",
                "tunnelgate: configuration file " + file + " test is successful");
        assertThat(o.code()).isZero();
    }

    static Stream<Arguments> mistakes() {
        return Stream.of(
                Arguments.of(server("set a 1; " + MARK), "invalid variable name \"a\""),
                Arguments.of(server("set $a; " + MARK), "invalid number of arguments in \"set\" directive"),
                Arguments.of(server("set $host x; " + MARK), "the duplicate \"host\" variable"),
                Arguments.of(server("return 200 \"$nope\"; " + MARK), "unknown \"nope\" variable"),
                Arguments.of(server("set $a \"${b\"; " + MARK), "the closing bracket in \"b\" variable is missing"),
                Arguments.of(server("if ($a = b) { } " + MARK), "unknown \"a\" variable"),
                Arguments.of(server("if $host { } " + MARK), "invalid condition \"$host\""),
                Arguments.of(server("if ($host == a) { } " + MARK), "unexpected \"==\" in condition"),
                Arguments.of(server("if ($host b) { } " + MARK), "unexpected \"b\" in condition"),
                Arguments.of(server("if (-q /a) { } " + MARK), "invalid condition \"-q\""),
                Arguments.of(server("if (-f) { } " + MARK), "invalid condition \"-f\""),
                Arguments.of(server("if (-f /a /b) { } " + MARK), "invalid condition \"-f\""),
                Arguments.of(server("if (a = b) { } " + MARK), "invalid condition \"a\""),
                Arguments.of(server("if ($host { } " + MARK), "invalid condition \"$host\""),
                // the reason after the pattern is Java's, not PCRE's
                Arguments.of(server("if ($host ~ \"(\") { } " + MARK), "invalid regex \"(\": Unclosed group"),
                Arguments.of(server("return abc; " + MARK), "invalid return code \"abc\""),
                Arguments.of(server("return 1000; " + MARK), "invalid return code \"1000\""),
                Arguments.of(server("break 1; " + MARK), "invalid number of arguments in \"break\" directive"),
                Arguments.of(server("rewrite ^ /x other; " + MARK), "invalid parameter \"other\""),
                Arguments.of(server("rewrite \"(\" /x; " + MARK), "invalid regex \"(\": Unclosed group"),
                Arguments.of(server("allow 300.0.0.1; " + MARK), "invalid parameter \"300.0.0.1\""),
                Arguments.of(server("deny 10.0.0.0/33; " + MARK), "invalid parameter \"10.0.0.0/33\""),
                Arguments.of(server("allow; " + MARK), "invalid number of arguments in \"allow\" directive"),
                Arguments.of(server("proxy_connect_address a:443;\nproxy_connect_address b:443; " + MARK),
                        "\"proxy_connect_address\" directive is duplicate"),
                Arguments.of(server("proxy_connect_address a b; " + MARK),
                        "invalid number of arguments in \"proxy_connect_address\" directive"),
                Arguments.of(server("proxy_connect_bind 127.0.0.1;\nproxy_connect_bind off; " + MARK),
                        "\"proxy_connect_bind\" directive is duplicate"),
                Arguments.of(server("proxy_connect_bind example.test; " + MARK), "invalid address \"example.test\""),
                Arguments.of(server("proxy_connect_bind 127.0.0.1:0; " + MARK), "invalid address \"127.0.0.1:0\""),
                Arguments.of(server("proxy_connect_bind off transparent; " + MARK), "invalid address \"off\""),
                Arguments.of(server("proxy_connect_bind 127.0.0.1 opaque; " + MARK), "invalid parameter \"opaque\""),
                Arguments.of(server("proxy_connect_bind 127.0.0.1 transparent x; " + MARK),
                        "invalid number of arguments in \"proxy_connect_bind\" directive"),
                Arguments.of(server("proxy_connect_response a;\nproxy_connect_response b; " + MARK),
                        "\"proxy_connect_response\" directive is duplicate"),
                Arguments.of(http("proxy_connect_response a;\nproxy_connect_response b; " + MARK),
                        "\"proxy_connect_response\" directive is duplicate"),
                Arguments.of(server("proxy_connect_response \"$nope\"; " + MARK), "unknown \"nope\" variable"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("mistakes")
    void mistakesAreRefusedWithNginxsMessage(String config, String message) {
        assertFails(config, message);
    }

    @Test
    void transparentNeedsEpoll() {
        String config = "events { use nio; }\n" + server("proxy_connect_bind $remote_addr transparent; " + MARK);
        assertFails(config,
                "transparent proxying (proxy_connect_bind ... transparent) needs the epoll or io_uring transport");
    }

    /** The directive's name: its first word. */
    private static String name(String directive) {
        return directive.split("[ ;]", 2)[0];
    }

    private void assertFails(String config, String message) {
        Path file = TestFiles.config(dir, config);
        ConfigTestFlagTest.Outcome o = ConfigTestFlagTest.run("-t", "-c", file.toString());
        assertThat(o.errLines()).containsExactly(
                "tunnelgate: [emerg] " + message + " in " + file + ":" + markedLine(config),
                "tunnelgate: configuration file " + file + " test failed");
        assertThat(o.code()).isEqualTo(1);
    }

    private static int markedLine(String text) {
        List<String> lines = text.lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(MARK)) {
                return i + 1;
            }
        }
        throw new IllegalArgumentException("no " + MARK + " in config:\n" + text);
    }
}
