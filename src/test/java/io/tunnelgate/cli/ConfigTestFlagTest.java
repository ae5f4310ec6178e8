package io.tunnelgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tunnelgate.log.LogClock;
import io.tunnelgate.log.LogWriter;
import io.tunnelgate.server.Configs;
import io.tunnelgate.server.ProxyConfig;
import io.tunnelgate.testsupport.TestFiles;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
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
 * {@code tunnelgate -t}: every config error of spec §1 (and the nginx core errors configs hit) is
 * reported as nginx reports it, {@code [emerg] <message> in <file>:<line>} then "test failed" with
 * exit code 1; the configs the module accepts print "syntax is ok" / "test is successful" with
 * exit code 0.
 *
 * <p>Configs mark the line the error must name with {@value #MARK}, so the expected line number
 * is read from the text rather than counted by hand.
 */
class ConfigTestFlagTest {
    private static final String MARK = "#<";

    @TempDir
    Path dir;

    /** What one command-line run printed and returned. */
    record Outcome(int code, String out, String err) {
        List<String> errLines() {
            return err.lines().toList();
        }
    }

    static Outcome run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            code = Main.run(args, o, e);
        }
        return new Outcome(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** A server with proxy_connect; {@code body} goes inside it. */
    private static String server(String body) {
        return "http {\n    server {\n        listen 127.0.0.1:3128;\n        proxy_connect;\n        "
                + body.replace("\n", "\n        ") + "\n    }\n}\n";
    }

    /** {@code body} at http level, next to a valid server. */
    private static String http(String body) {
        return "http {\n    " + body.replace("\n", "\n    ")
                + "\n    server {\n        listen 127.0.0.1:3128;\n        proxy_connect;\n    }\n}\n";
    }

    /** {@code body} inside a {@code location /} of a proxy_connect server. */
    private static String location(String body) {
        return server("location / {\n    " + body.replace("\n", "\n    ") + "\n}");
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

    private Outcome test(Path config) {
        return run("-t", "-c", config.toString());
    }

    private static void assertSuccess(Outcome o, Path config) {
        assertThat(o.errLines()).containsExactly(
                "tunnelgate: the configuration file " + config + " syntax is ok",
                "tunnelgate: configuration file " + config + " test is successful");
        assertThat(o.out()).isEmpty();
        assertThat(o.code()).isZero();
    }

    private static void assertFailure(Outcome o, Path main, Path where, int line, String message) {
        assertThat(o.errLines()).containsExactly(
                "tunnelgate: [emerg] " + message + " in " + where + ":" + line,
                "tunnelgate: configuration file " + main + " test failed");
        assertThat(o.code()).isEqualTo(1);
    }

    static Stream<Arguments> moduleErrors() {
        return Stream.of(
                Arguments.of(server("proxy_connect on; " + MARK),
                        "invalid number of arguments in \"proxy_connect\" directive"),
                Arguments.of(http("proxy_connect; " + MARK), "\"proxy_connect\" directive is not allowed here"),
                Arguments.of(location("proxy_connect; " + MARK), "\"proxy_connect\" directive is not allowed here"),
                Arguments.of(http("proxy_connect_allow 443; " + MARK),
                        "\"proxy_connect_allow\" directive is not allowed here"),
                Arguments.of(location("proxy_connect_allow 443; " + MARK),
                        "\"proxy_connect_allow\" directive is not allowed here"),
                Arguments.of(server("proxy_connect_allow 443;\nproxy_connect_allow 563; " + MARK),
                        "\"proxy_connect_allow\" directive is duplicate"),
                Arguments.of(server("proxy_connect_allow; " + MARK),
                        "invalid number of arguments in \"proxy_connect_allow\" directive"),
                Arguments.of(server("proxy_connect_connect_timeout 1s 2s; " + MARK),
                        "invalid number of arguments in \"proxy_connect_connect_timeout\" directive"),
                Arguments.of(server("proxy_connect_data_timeout 10s;\nproxy_connect_read_timeout 20s; " + MARK),
                        "\"proxy_connect_read_timeout\" directive is duplicate"),
                Arguments.of(http("proxy_connect_read_timeout 10s;\nproxy_connect_data_timeout 20s; " + MARK),
                        "\"proxy_connect_data_timeout\" directive is duplicate"),
                Arguments.of(server("proxy_connect_connect_timeout 10s;\nproxy_connect_connect_timeout 20s; "
                        + MARK), "\"proxy_connect_connect_timeout\" directive is duplicate"),
                Arguments.of(server("proxy_connect_send_timeout 10s;\nproxy_connect_send_timeout 20s; " + MARK),
                        "\"proxy_connect_send_timeout\" directive is duplicate"),
                Arguments.of("proxy_connect_connect_timeout 10s; " + MARK + "\n",
                        "\"proxy_connect_connect_timeout\" directive is not allowed here"));
    }

    @ParameterizedTest
    @MethodSource("moduleErrors")
    void moduleDirectiveErrorsNameTheFileAndLine(String config, String message) {
        Path file = TestFiles.config(dir, config);
        assertFailure(test(file), file, file, markedLine(config), message);
    }

    @ParameterizedTest
    @ValueSource(strings = {"proxy_connect_connect_timeout", "proxy_connect_data_timeout",
        "proxy_connect_read_timeout", "proxy_connect_send_timeout", "proxy_connect_half_close"})
    void noModuleDirectiveIsAllowedInALocation(String directive) {
        String arg = directive.endsWith("half_close") ? "on" : "10s";
        String config = location(directive + " " + arg + "; " + MARK);
        Path file = TestFiles.config(dir, config);
        assertFailure(test(file), file, file, markedLine(config), "\"" + directive + "\" directive is not allowed here");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0-10", "10-5", "abc-1", "1-65536", "1-2-3", "-5", "5-"})
    void badPortRanges(String range) {
        String config = server("proxy_connect_allow 443 " + range + "; " + MARK);
        Path file = TestFiles.config(dir, config);
        assertFailure(test(file), file, file, markedLine(config),
                "invalid port range \"" + range + "\" in \"proxy_connect_allow\" directive");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ALL", "abc", "0", "65536", "+443"})
    void badPortValues(String value) {
        String config = server("proxy_connect_allow " + value + " 443; " + MARK);
        Path file = TestFiles.config(dir, config);
        assertFailure(test(file), file, file, markedLine(config),
                "invalid value \"" + value + "\" in \"proxy_connect_allow\" directive");
    }

    /** The request limits of issue 5, with nginx's slot messages. */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource({
        "client_max_body_size 1x, \"client_max_body_size\" directive invalid value",
        "client_max_body_size -1, \"client_max_body_size\" directive invalid value",
        "keepalive_requests many, \"keepalive_requests\" directive invalid number",
        "keepalive_time 1y, \"keepalive_time\" directive invalid value"})
    void badRequestLimits(String directive, String message) {
        String config = server(directive + "; " + MARK);
        Path file = TestFiles.config(dir, config);
        assertFailure(test(file), file, file, markedLine(config), message);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1y", "1M", "abc", "-1s", "10q", "1s1m", ""})
    void badTimeouts(String value) {
        String config = server("proxy_connect_connect_timeout \"" + value + "\"; " + MARK);
        Path file = TestFiles.config(dir, config);
        assertFailure(test(file), file, file, markedLine(config),
                "\"proxy_connect_connect_timeout\" directive invalid value");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "proxy_connect_allow all 443;",
        "proxy_connect_allow 443 80 8081;",
        "proxy_connect_allow 1000-2000 3000-4000 1 65535 1-65535;",
        "proxy_connect;",
        "proxy_connect_connect_timeout 1m30s;",
        "proxy_connect_connect_timeout \"1s 500ms\";",
        "proxy_connect_connect_timeout 10;",
        "proxy_connect_data_timeout 1w2d3h4m5s6ms;",
        "proxy_connect_read_timeout 10s;\nproxy_connect_send_timeout 10s;",
        "proxy_connect_half_close on;"})
    void moduleDirectivesTheModuleAccepts(String body) {
        Path file = TestFiles.config(dir, server(body));
        assertSuccess(test(file), file);
    }

    @Test
    void dataTimeoutAtHttpAndReadTimeoutAtServerAreNotDuplicate() {
        String config = """
                http {
                    proxy_connect_data_timeout 10s;
                    proxy_connect_connect_timeout 5s;
                    server {
                        listen 127.0.0.1:3128;
                        proxy_connect;
                        proxy_connect_read_timeout 20s;
                        proxy_connect_connect_timeout 6s;
                    }
                }
                """;
        Path file = TestFiles.config(dir, config);
        assertSuccess(test(file), file);
    }

    static Stream<Arguments> coreErrors() {
        return Stream.of(
                Arguments.of(server("foo bar; " + MARK), "unknown directive \"foo\""),
                Arguments.of("http {\n    server {\n    }\n}\n} " + MARK + "\n", "unexpected \"}\""),
                Arguments.of(server("proxy_connect\n} " + MARK), "unexpected \"}\""),
                Arguments.of("events {\n}\nhttp {\n    server {\n        proxy_connect;\n" + MARK,
                        "unexpected end of file, expecting \"}\""),
                Arguments.of("http {\n    server; " + MARK + "\n}\n", "directive \"server\" has no opening \"{\""),
                Arguments.of(server("proxy_connect_allow 443 { " + MARK + "\n}"),
                        "directive \"proxy_connect_allow\" is not terminated by \";\""),
                Arguments.of(server("access_log access.log nope; " + MARK), "unknown log format \"nope\""),
                Arguments.of(http("log_format f '$remote_addr $nope'; " + MARK), "unknown \"nope\" variable"),
                Arguments.of(server("return 200 \"$no_such_var\"; " + MARK), "unknown \"no_such_var\" variable"),
                Arguments.of(server("error_log error.log loud; " + MARK), "invalid log level \"loud\""),
                Arguments.of("error_log stderr shout; " + MARK + "\n", "invalid log level \"shout\""),
                Arguments.of(server("listen 127.0.0.1:0; " + MARK),
                        "invalid port in \"127.0.0.1:0\" of the \"listen\" directive"),
                Arguments.of(server("listen 70000; " + MARK), "invalid port in \"70000\" of the \"listen\" directive"),
                Arguments.of(server("listen 127.0.0.1:http; " + MARK),
                        "invalid port in \"127.0.0.1:http\" of the \"listen\" directive"),
                Arguments.of(server("listen 127.0.0.1:3129 ssl; " + MARK),
                        "the \"ssl\" parameter of the \"listen\" directive is not supported yet"),
                Arguments.of(server("listen 127.0.0.1:3129 fast; " + MARK), "invalid parameter \"fast\""),
                Arguments.of(server("listen 127.0.0.1:3128; " + MARK), "a duplicate listen 127.0.0.1:3128"),
                Arguments.of("""
                        http {
                            server {
                                listen 3128 default_server;
                            }
                            server {
                                listen 3128 default_server; #<
                            }
                        }
                        """, "a duplicate default server for 0.0.0.0:3128"),
                Arguments.of("""
                        http {
                            server {
                                listen 127.0.0.1:3128 backlog=16;
                            }
                            server {
                                listen 127.0.0.1:3128;
                            }
                            server {
                                listen 127.0.0.1:3128 rcvbuf=64k; #<
                            }
                        }
                        """, "duplicate listen options for 127.0.0.1:3128"),
                Arguments.of("worker_processes many; " + MARK + "\n", "\"worker_processes\" directive invalid value"),
                Arguments.of("worker_processes 0; " + MARK + "\n", "\"worker_processes\" directive invalid value"),
                Arguments.of("worker_processes 2;\nworker_processes 2; " + MARK + "\n",
                        "\"worker_processes\" directive is duplicate"),
                Arguments.of("worker_rlimit_nofile lots; " + MARK + "\n",
                        "\"worker_rlimit_nofile\" directive invalid number"),
                Arguments.of("events {\n    worker_connections many; " + MARK + "\n}\n", "invalid number \"many\""),
                Arguments.of("events {\n}\nevents { " + MARK + "\n}\n", "\"events\" directive is duplicate"),
                Arguments.of("events {\n    use kqueue; " + MARK + "\n}\n", "invalid event type \"kqueue\""));
    }

    @ParameterizedTest
    @MethodSource("coreErrors")
    void coreErrorsNameTheFileAndLine(String config, String message) {
        Path file = TestFiles.config(dir, config);
        assertFailure(test(file), file, file, markedLine(config), message);
    }

    @Test
    void anAccessLogThatCannotBeOpenedIsNginxsOpenFailed() {
        Path log = dir.resolve("no-such-dir/access.log");
        String config = server("access_log " + log + "; " + MARK);
        Path file = TestFiles.config(dir, config);
        assertFailure(test(file), file, file, markedLine(config),
                "open() \"" + log + "\" failed (2: No such file or directory)");
    }

    @Test
    void relativeLogPathsResolveAgainstThePrefix() {
        Path prefix = dir.resolve("prefix");
        String config = server("access_log logs/access.log; " + MARK);
        Path file = TestFiles.write(prefix, "conf/tunnelgate.conf", config);
        Outcome o = run("-p", prefix.toString(), "-t", "-c", "conf/tunnelgate.conf");
        assertFailure(o, file, file, markedLine(config),
                "open() \"" + prefix.resolve("logs/access.log") + "\" failed (2: No such file or directory)");
    }

    @Test
    void anErrorInAnIncludedFileNamesThatFileAndItsLine() {
        String included = "server {\n    listen 127.0.0.1:3128;\n\n    proxy_connect on; " + MARK + "\n}\n";
        Path inc = TestFiles.write(dir, "conf.d/proxy.conf", included);
        Path main = TestFiles.config(dir, "events {\n}\n\nhttp {\n    include conf.d/*.conf;\n}\n");
        assertFailure(test(main), main, inc, markedLine(included),
                "invalid number of arguments in \"proxy_connect\" directive");
    }

    @Test
    void aMissingConfigFileIsOpenFailedWithoutALine() {
        Path missing = dir.resolve("missing.conf");
        Outcome o = test(missing);
        assertThat(o.errLines()).containsExactly(
                "tunnelgate: [emerg] open() \"" + missing + "\" failed (2: No such file or directory)",
                "tunnelgate: configuration file " + missing + " test failed");
        assertThat(o.code()).isEqualTo(1);
    }

    @Test
    void warningsPrintWithTheirPlaceAndDoNotFailTheTest() {
        String config = "daemon on;\nuser nobody nogroup;\n" + server("");
        Path file = TestFiles.config(dir, config);
        Outcome o = test(file);
        assertThat(o.errLines()).containsExactly(
                "tunnelgate: [warn] \"daemon on\" is ignored: Tunnelgate always stays in the foreground in "
                        + file + ":1",
                "tunnelgate: [warn] the \"user\" directive is ignored: a JVM cannot change its user; start Tunnelgate"
                        + " as \"nobody\" in " + file + ":2",
                "tunnelgate: the configuration file " + file + " syntax is ok",
                "tunnelgate: configuration file " + file + " test is successful");
        assertThat(o.code()).isZero();
    }

    @Test
    void daemonOffIsNotAWarning() {
        Path file = TestFiles.config(dir, "daemon off;\nworker_processes auto;\n" + server(""));
        assertSuccess(test(file), file);
    }

    @Test
    void quietTestPrintsNothingOnSuccessButStillPrintsErrors() {
        Path good = TestFiles.config(dir, server(""));
        Outcome ok = run("-t", "-q", "-c", good.toString());
        assertThat(ok.err()).isEmpty();
        assertThat(ok.out()).isEmpty();
        assertThat(ok.code()).isZero();

        String bad = server("proxy_connect_allow 0; " + MARK);
        Path badFile = TestFiles.write(dir, "bad.conf", bad);
        assertFailure(run("-t", "-q", "-c", badFile.toString()), badFile, badFile, markedLine(bad),
                "invalid value \"0\" in \"proxy_connect_allow\" directive");
    }

    @Test
    void dumpPrintsEveryFileAfterTheSuccessLines() {
        String included = "server {\n    listen 127.0.0.1:3128;\n    proxy_connect;\n}\n";
        String mainText = "# main\nhttp {\n    include conf.d/*.conf;\n}\n";
        Path inc = TestFiles.write(dir, "conf.d/proxy.conf", included);
        Path main = TestFiles.config(dir, mainText);
        Outcome o = run("-T", "-c", main.toString());
        assertSuccess(new Outcome(o.code(), "", o.err()), main);
        assertThat(o.out()).isEqualTo("# configuration file " + main + ":\n" + mainText + "\n"
                + "# configuration file " + inc + ":\n" + included + "\n");
    }

    @Test
    void dumpOfABrokenConfigPrintsOnlyTheError() {
        String config = server("proxy_connect_allow 10-5; " + MARK);
        Path file = TestFiles.config(dir, config);
        Outcome o = run("-T", "-c", file.toString());
        assertFailure(o, file, file, markedLine(config),
                "invalid port range \"10-5\" in \"proxy_connect_allow\" directive");
        assertThat(o.out()).isEmpty();
    }

    @Test
    void withoutDashCTheBuiltInConfigIsALoopbackConnectProxyForPorts443And563() throws Exception {
        Outcome o = run("-T");
        assertSuccess(new Outcome(o.code(), "", o.err()), Path.of("(built-in)"));
        assertThat(o.out()).startsWith("# configuration file (built-in):\n" + Configs.BUILT_IN);
        List<String> directives = o.out().lines().map(String::trim).toList();
        assertThat(directives).contains("listen 127.0.0.1:3128;", "proxy_connect;", "proxy_connect_allow 443 563;",
                "resolver system;");

        try (LogWriter writer = new LogWriter()) {
            writer.start();
            ProxyConfig config = Main.load(null, dir, writer, new LogClock());
            assertThat(config.http().listens()).singleElement()
                    .satisfies(g -> assertThat(g.address()).isEqualTo(new InetSocketAddress("127.0.0.1", 3128)));
            assertThat(config.http().servers()).singleElement().satisfies(server -> {
                assertThat(server.connectHandler()).isNotNull();
                assertThat(server.resolver().system()).isTrue();
            });
            assertThat(config.warnings()).isEmpty();
        }
    }

    @Test
    void versionNamesTheProductAndNetty() {
        Outcome o = run("-V");
        assertThat(o.code()).isZero();
        assertThat(o.out().lines().toList()).first().isEqualTo("tunnelgate version: " + io.tunnelgate.Version.PRODUCT);
        assertThat(o.out()).contains("Netty 4.2.18.Final");
    }

    @Test
    void helpListsTheNginxLikeOptions() {
        Outcome o = run("-h");
        assertThat(o.code()).isZero();
        assertThat(o.out()).startsWith("Usage: tunnelgate");
        for (String option : List.of("-c=FILE", "-p=PREFIX", "-t ", "-T ", "-q ", "-V", "-h")) {
            assertThat(o.out()).contains("  " + option);
        }
    }
}
