package io.tunnelgate.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.tunnelgate.testsupport.EchoServer;
import io.tunnelgate.testsupport.Loopback;
import io.tunnelgate.testsupport.RawClient;
import io.tunnelgate.testsupport.TestProxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The order of nginx's phases (spec §3.3, §8.1-8.2). For CONNECT: the 405 of a server without
 * {@code proxy_connect} comes before its rewrite; server rewrite comes before access; the server's
 * allow/deny apply; no location, and so nothing configured in one, ever applies. For GET: server
 * rewrite, location choice, location rewrite, access, content, so a location's {@code return}
 * beats its {@code deny}.
 */
class PhaseOrderTest {
    @TempDir
    static Path dir;
    private static TestProxy proxy;
    private static EchoServer echo;

    @BeforeAll
    static void start() {
        echo = new EchoServer();
        proxy = TestProxy.start(dir, """
                http {
                    log_format t '"$request" $status order=[$order]';
                    access_log ${DIR}/access.log t;
                    error_log ${DIR}/error.log info;
                    # the log format reads $order where no set ran: no warning lines for that
                    uninitialized_variable_warn off;
                    server {
                        listen 127.0.0.1:${PORT};
                        server_name plain.test;
                        set $order "server rewrite ran";
                        return 200 "server rewrite";
                    }
                    server {
                        listen 127.0.0.1:${PORT};
                        server_name deny.test;
                        proxy_connect;
                        proxy_connect_allow all;
                        deny all;
                        if ($http_x_return) {
                            return 200 "rewrite before access";
                        }
                        location / {
                            allow all;
                            return 200 "location";
                        }
                        location /denied/ {
                            deny all;
                            return 200 "return beats deny";
                        }
                        location /only-deny/ {
                            deny all;
                        }
                    }
                    server {
                        listen 127.0.0.1:${PORT};
                        server_name loc.test;
                        proxy_connect;
                        proxy_connect_allow all;
                        set $order "server";
                        rewrite ^/old$ /order;
                        location / {
                            deny all;
                            return 403 "location return";
                        }
                        location /order {
                            set $order "$order location";
                            return 200 "$order";
                        }
                    }
                }
                """);
    }

    @AfterAll
    static void stop() {
        proxy.close();
        echo.close();
    }

    @Test
    void connectToAServerWithoutProxyConnectIs405BeforeItsRewrite() throws Exception {
        Logs logs = Logs.mark(proxy);
        Reply reply = connect("plain.test", "");
        reply.assertPage("HTTP/1.1 405 Not Allowed", "405 Not Allowed", false);
        // the server's set never ran either
        assertThat(logs.accessLine()).endsWith("\" 405 order=[]");
        logs.errorLine("info", "proxy_connect: client sent connect method");
    }

    @Test
    void getToThatServerRunsItsRewrite() throws Exception {
        Logs logs = Logs.mark(proxy);
        assertThat(get("plain.test", "/").body()).isEqualTo("server rewrite");
        assertThat(logs.accessLine()).endsWith("\" 200 order=[server rewrite ran]");
    }

    @Test
    void serverRewriteComesBeforeAccessForConnect() throws Exception {
        int before = echo.accepted();
        Reply reply = connect("deny.test", "X-Return: 1\r\n");
        assertThat(reply.statusLine()).isEqualTo("HTTP/1.1 200 OK");
        assertThat(reply.body()).isEqualTo("rewrite before access");
        assertThat(echo.accepted()).isEqualTo(before);
    }

    @Test
    void serverDenyAppliesToConnectThoughALocationAllows() throws Exception {
        int before = echo.accepted();
        Logs logs = Logs.mark(proxy);
        connect("deny.test", "").assertPage("HTTP/1.1 403 Forbidden", "403 Forbidden", false);
        logs.accessLine();
        assertThat(logs.errorLine("error", "access forbidden by rule")).contains("server: deny.test");
        assertThat(echo.accepted()).isEqualTo(before);
    }

    @Test
    void locationDirectivesNeverApplyToConnect() throws Exception {
        Logs logs = Logs.mark(proxy);
        int before = echo.accepted();
        try (RawClient client = RawClient.connect(proxy.address())) {
            client.send("CONNECT " + Loopback.hostPort(echo.port()) + " HTTP/1.1\r\nHost: loc.test\r\n\r\n");
            assertThat(client.readHead())
                    .isEqualTo("HTTP/1.1 200 Connection Established\r\nProxy-agent: nginx\r\n\r\n");
            client.send("ping");
            assertThat(new String(client.readExactly(4), StandardCharsets.ISO_8859_1)).isEqualTo("ping");
        }
        assertThat(echo.accepted()).isEqualTo(before + 1);
        assertThat(logs.accessLine()).endsWith("\" 200 order=[server]");
    }

    @Test
    void forGetALocationsRulesReplaceTheServersAndItsReturnComesFirst() throws Exception {
        assertThat(get("deny.test", "/").body()).isEqualTo("location");
        assertThat(get("deny.test", "/denied/").body()).isEqualTo("return beats deny");
        assertThat(get("loc.test", "/").body()).isEqualTo("location return");
    }

    @Test
    void forGetDenyWithoutReturnIs403() throws Exception {
        Logs logs = Logs.mark(proxy);
        get("deny.test", "/only-deny/").assertPage("HTTP/1.1 403 Forbidden", "403 Forbidden", false);
        assertThat(logs.errorLine("error", "access forbidden by rule"))
                .contains("request: \"GET /only-deny/ HTTP/1.1\"");
    }

    @Test
    void serverRewriteRunsBeforeTheLocationIsChosenAndItsRewrite() throws Exception {
        assertThat(get("loc.test", "/old").body()).isEqualTo("server location");
    }

    /** A CONNECT answered with a response; its access-log line is awaited. */
    private static Reply connect(String host, String headers) throws Exception {
        Logs logs = Logs.mark(proxy);
        try (RawClient client = RawClient.connect(proxy.address())) {
            client.send("CONNECT " + Loopback.hostPort(echo.port()) + " HTTP/1.1\r\nHost: " + host + "\r\n"
                    + headers + "\r\n");
            Reply reply = Reply.read(client);
            logs.accessLines(1);
            return reply;
        }
    }

    private static Reply get(String host, String uri) throws Exception {
        Logs logs = Logs.mark(proxy);
        try (RawClient client = RawClient.connect(proxy.address())) {
            client.send("GET " + uri + " HTTP/1.1\r\nHost: " + host + "\r\n\r\n");
            Reply reply = Reply.read(client);
            logs.accessLines(1);
            return reply;
        }
    }
}
