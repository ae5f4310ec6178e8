package io.tunnelgate.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.tunnelgate.testsupport.EchoServer;
import io.tunnelgate.testsupport.Loopback;
import io.tunnelgate.testsupport.RawClient;
import io.tunnelgate.testsupport.TestProxy;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code return} in every form inside {@code if}: at server level it answers CONNECT and GET alike
 * (before any upstream is dialled), inside a location's {@code if} a GET. Code alone (the built-in
 * page for errors, an empty text/plain body otherwise), code and text, the redirect codes with a
 * URL (made absolute), a bare URL (302), and 444 (close, nothing sent).
 */
class ReturnInIfTest {
    private static final String RETURNS = """
            if ($ret = "403") { return 403; }
            if ($ret = "200") { return 200; }
            if ($ret = "204") { return 204; }
            if ($ret = "text") { return 201 "created for $host\\n"; }
            if ($ret = "301") { return 301 /moved; }
            if ($ret = "302") { return 302 http://other.test/302; }
            if ($ret = "303") { return 303 /see; }
            if ($ret = "307") { return 307 /temporary; }
            if ($ret = "308") { return 308 https://other.test/308; }
            if ($ret = "url") { return http://other.test/bare; }
            if ($ret = "444") { return 444; }
            """;

    @TempDir
    static Path dir;
    private static TestProxy proxy;
    private static EchoServer echo;

    @BeforeAll
    static void start() {
        echo = new EchoServer();
        proxy = TestProxy.start(dir, """
                http {
                    log_format t '"$request" $status $body_bytes_sent';
                    access_log ${DIR}/access.log t;
                    error_log ${DIR}/error.log info;
                    server {
                        listen 127.0.0.1:${PORT};
                        server_name ret.test;
                        proxy_connect;
                        proxy_connect_allow all;
                        set $ret $http_x_ret;
                        if ($ret) {
                %s
                        }
                        location /loc/ {
                            set $ret $arg_ret;
                %s
                            return 200 "no return matched";
                        }
                    }
                }
                """.formatted(RETURNS.indent(12), RETURNS.indent(12)));
    }

    @AfterAll
    static void stop() {
        proxy.close();
        echo.close();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"CONNECT", "GET", "GET in location"})
    void codeAloneSendsTheErrorPage(String how) throws Exception {
        request(how, "403").assertPage("HTTP/1.1 403 Forbidden", "403 Forbidden", false);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"CONNECT", "GET", "GET in location"})
    void aSuccessCodeAloneSendsAnEmptyTextBody(String how) throws Exception {
        Reply reply = request(how, "200").assertMade("HTTP/1.1 200 OK", false, true);
        assertThat(reply.header("Content-Type")).isEqualTo("text/plain");
        assertThat(reply.body()).isEmpty();
    }

    @Test
    void noContentHasNoBodyHeaders() throws Exception {
        Logs logs = Logs.mark(proxy);
        try (RawClient client = RawClient.connect(proxy.address())) {
            client.send("GET /loc/?ret=204 HTTP/1.1\r\nHost: ret.test\r\n\r\n");
            Reply reply = Reply.parse(client.readHead());
            assertThat(reply.statusLine()).isEqualTo("HTTP/1.1 204 No Content");
            assertThat(reply.headerNames()).containsExactly("Server", "Date", "Connection");
        }
        assertThat(logs.accessLine()).endsWith("\" 204 0");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"CONNECT", "GET", "GET in location"})
    void codeAndText(String how) throws Exception {
        Reply reply = request(how, "text").assertMade("HTTP/1.1 201 Created", false, true);
        assertThat(reply.header("Content-Type")).isEqualTo("text/plain");
        assertThat(reply.body()).isEqualTo("created for ret.test\n");
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
        "CONNECT,         301, Moved Permanently,  http://ret.test:${PORT}/moved",
        "GET,             302, Moved Temporarily,  http://other.test/302",
        "GET in location, 303, See Other,          http://ret.test:${PORT}/see",
        "CONNECT,         307, Temporary Redirect, http://ret.test:${PORT}/temporary",
        "GET in location, 308, Permanent Redirect, https://other.test/308",
        "CONNECT,         url, Moved Temporarily,  http://other.test/bare",
        "GET in location, url, Moved Temporarily,  http://other.test/bare",
    })
    void redirects(String how, String ret, String reason, String location) throws Exception {
        Reply reply = request(how, ret);
        int code = ret.equals("url") ? 302 : Integer.parseInt(ret);
        reply.assertPage("HTTP/1.1 " + code + " " + reason, code + " " + reason, false);
        assertThat(reply.header("Location")).isEqualTo(location.replace("${PORT}", Integer.toString(proxy.port())));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"CONNECT", "GET", "GET in location"})
    void code444ClosesWithNothingSent(String how) throws Exception {
        Logs logs = Logs.mark(proxy);
        try (RawClient client = RawClient.connect(proxy.address())) {
            client.send(head(how, "444"));
            assertThat(client.readToEof()).isEmpty();
        }
        assertThat(logs.accessLine()).endsWith("\" 444 0");
    }

    @Test
    void withoutAMatchingIfTheConnectTunnels() throws Exception {
        Logs logs = Logs.mark(proxy);
        try (RawClient client = RawClient.connect(proxy.address())) {
            assertThat(client.requestTunnel(Loopback.hostPort(echo.port())))
                    .startsWith("HTTP/1.1 200 Connection Established\r\n");
        }
        assertThat(logs.accessLine()).contains("\" 200 ");
    }

    private static String head(String how, String ret) {
        String authority = Loopback.hostPort(echo.port());
        return switch (how) {
            case "CONNECT" -> "CONNECT " + authority + " HTTP/1.1\r\nHost: ret.test\r\nX-Ret: " + ret + "\r\n\r\n";
            case "GET" -> "GET /x HTTP/1.1\r\nHost: ret.test\r\nX-Ret: " + ret + "\r\n\r\n";
            default -> "GET /loc/?ret=" + ret + " HTTP/1.1\r\nHost: ret.test\r\n\r\n";
        };
    }

    /** One request; its access-log line is awaited and the upstream never dialled. */
    private static Reply request(String how, String ret) throws Exception {
        Logs logs = Logs.mark(proxy);
        int accepted = echo.accepted();
        try (RawClient client = RawClient.connect(proxy.address())) {
            client.send(head(how, ret));
            Reply reply = Reply.read(client);
            logs.accessLine();
            assertThat(echo.accepted()).isEqualTo(accepted);
            return reply;
        }
    }
}
