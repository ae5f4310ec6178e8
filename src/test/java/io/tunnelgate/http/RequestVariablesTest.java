package io.tunnelgate.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tunnelgate.Version;
import io.tunnelgate.testsupport.EchoServer;
import io.tunnelgate.testsupport.Loopback;
import io.tunnelgate.testsupport.RawClient;
import io.tunnelgate.testsupport.TestProxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * nginx's request variables that issue 4 adds, in a {@code return} body and in the access log
 * (where "not found" prints {@code -} and "empty" prints nothing): {@code $uri} (decoded and
 * normalised), {@code $request_uri}, {@code $args}, {@code $is_args}, {@code $query_string},
 * {@code $arg_NAME} (name without case; only {@code name=} counts), {@code $cookie_NAME},
 * {@code $scheme}, {@code $https}, {@code $hostname}, {@code $tunnelgate_version}, the time
 * variables and {@code $binary_remote_addr}; and what they are for a CONNECT, which has no URI.
 */
class RequestVariablesTest {
    private static final String VARIABLES = "uri=$uri|request_uri=$request_uri|args=$args|is_args=$is_args|"
            + "query_string=$query_string|arg_x=$arg_x|arg_y=$arg_y|arg_empty=$arg_empty|arg_flag=$arg_flag|"
            + "cookie_a=$cookie_a|cookie_b=$cookie_b|cookie_none=$cookie_none|scheme=$scheme|https=$https|"
            + "hostname=$hostname|version=$tunnelgate_version|binary=$binary_remote_addr";

    @TempDir
    static Path dir;
    private static TestProxy proxy;
    private static EchoServer echo;

    @BeforeAll
    static void start() {
        echo = new EchoServer();
        proxy = TestProxy.start(dir, """
                http {
                    log_format t '%1$s';
                    log_format times '$time_local|$time_iso8601|$msec';
                    access_log ${DIR}/access.log t;
                    access_log ${DIR}/times.log times;
                    server {
                        listen 127.0.0.1:${PORT};
                        server_name vars.test;
                        proxy_connect;
                        proxy_connect_allow all;
                        location / {
                            return 200 "%1$s";
                        }
                    }
                }
                """.formatted(VARIABLES));
    }

    @AfterAll
    static void stop() {
        proxy.close();
        echo.close();
    }

    @Test
    void aGetHasItsUriArgumentsAndCookies() throws Exception {
        Logs logs = Logs.mark(proxy);
        String body;
        try (RawClient client = RawClient.connect(proxy.address())) {
            client.send("GET /a%20b/./c?x=1&Y=2&empty=&flag HTTP/1.1\r\nHost: vars.test\r\n"
                    + "Cookie: a=1; B=two\r\n\r\n");
            body = Reply.read(client).body();
        }
        String common = "uri=/a b/c|request_uri=/a%20b/./c?x=1&Y=2&empty=&flag|args=x=1&Y=2&empty=&flag|is_args=?|"
                + "query_string=x=1&Y=2&empty=&flag|arg_x=1|arg_y=2|arg_empty=|arg_flag=FLAG|cookie_a=1|cookie_b=two|"
                + "cookie_none=NONE|scheme=http|https=|hostname=" + hostname() + "|version=" + Version.VERSION
                + "|binary=";
        assertThat(body).isEqualTo(common.replace("FLAG", "").replace("NONE", "") + "\u007f\u0000\u0000\u0001");
        // in the log, not-found values are "-" and bytes outside printable ASCII are escaped
        assertThat(logs.accessLine())
                .isEqualTo(common.replace("FLAG", "-").replace("NONE", "-") + "\\x7F\\x00\\x00\\x01");
    }

    @Test
    void aGetWithoutArgumentsHasNoQuestionMark() throws Exception {
        Logs logs = Logs.mark(proxy);
        try (RawClient client = RawClient.connect(proxy.address())) {
            client.send("GET /p HTTP/1.1\r\nHost: vars.test\r\n\r\n");
            assertThat(Reply.read(client).body()).startsWith("uri=/p|request_uri=/p|args=|is_args=|query_string=|");
        }
        logs.accessLine();
    }

    @Test
    void aConnectHasNoUriOrArguments() throws Exception {
        Logs logs = Logs.mark(proxy);
        try (RawClient client = RawClient.connect(proxy.address())) {
            client.send("CONNECT " + Loopback.hostPort(echo.port()) + " HTTP/1.1\r\nHost: vars.test\r\n"
                    + "Cookie: b=3\r\n\r\n");
            assertThat(client.readHead()).startsWith("HTTP/1.1 200 Connection Established");
            client.shutdownOutput();
            assertThat(client.awaitEof()).isTrue();
        }
        assertThat(logs.accessLine()).isEqualTo("uri=|request_uri=|args=|is_args=|query_string=|arg_x=-|arg_y=-|"
                + "arg_empty=-|arg_flag=-|cookie_a=-|cookie_b=3|cookie_none=-|scheme=http|https=|hostname="
                + hostname() + "|version=" + Version.VERSION + "|binary=\\x7F\\x00\\x00\\x01");
    }

    @Test
    void theTimeVariablesHaveNginxsFormats() throws Exception {
        try (RawClient client = RawClient.connect(proxy.address())) {
            client.send("GET /t HTTP/1.1\r\nHost: vars.test\r\nConnection: close\r\n\r\n");
            client.readToEof();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> proxy.lastLine("times.log") != null);
        assertThat(proxy.lastLine("times.log")).matches("\\d{2}/[A-Z][a-z]{2}/\\d{4}:\\d{2}:\\d{2}:\\d{2} [+-]\\d{4}"
                + "\\|\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}[+-]\\d{2}:\\d{2}\\|\\d{10,}\\.\\d{3}");
    }

    private static String hostname() throws Exception {
        return Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
    }
}
