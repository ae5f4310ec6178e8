package io.tunnelgate.tunnel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tunnelgate.testsupport.EchoServer;
import io.tunnelgate.testsupport.Loopback;
import io.tunnelgate.testsupport.RawClient;
import io.tunnelgate.testsupport.TestProxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code proxy_connect_response} and {@code $proxy_connect_response} (spec §1.6, §2, §3.7): the
 * bytes are sent exactly as configured (escapes decoded, nothing added, not even for a status
 * line that says 403), evaluated after the connect ({@code $connect_addr}), the directive beats a
 * value set in rewrite unless it evaluates empty, http level has no effect on servers, and the
 * access log shows {@code $status} 200 and counts the bytes. Servers are chosen by Host.
 */
class ConnectResponseTest {
    @TempDir
    static Path dir;
    private static TestProxy proxy;
    private static EchoServer echo;

    @BeforeAll
    static void start() {
        echo = new EchoServer();
        proxy = TestProxy.start(dir, """
                http {
                    log_format t 'host:$host status:$status sent:$bytes_sent body:$body_bytes_sent '
                                 'resp:[$proxy_connect_response]';
                    access_log ${DIR}/access.log t;
                    error_log ${DIR}/error.log info;
                    # servers never inherit this (the module's merge skips it)
                    proxy_connect_response "HTTP/1.1 299 From Http Level\\r\\n\\r\\n";
                    server {
                        listen 127.0.0.1:${PORT};
                        server_name default.test;
                        proxy_connect;
                        proxy_connect_allow all;
                        if ($http_x_return) {
                            return 403;
                        }
                    }
                    server {
                        listen 127.0.0.1:${PORT};
                        server_name raw.test;
                        proxy_connect;
                        proxy_connect_allow all;
                        proxy_connect_response "HTTP/1.1 403 Forbidden\\r\\nX-Tab:\\t\\"quoted\\" back\\\\slash\\r\\n\\r\\n";
                    }
                    server {
                        listen 127.0.0.1:${PORT};
                        server_name notes.test;
                        proxy_connect;
                        proxy_connect_allow all;
                        proxy_connect_response 'ready $connect_addr\\n';
                    }
                    server {
                        listen 127.0.0.1:${PORT};
                        server_name precedence.test;
                        proxy_connect;
                        proxy_connect_allow all;
                        set $proxy_connect_response "HTTP/1.1 200 From Set\\r\\n\\r\\n";
                        proxy_connect_response $http_x_response;
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
    void withoutTheDirectiveTheDefaultIsSentEvenToHttp10AndHttpLevelHasNoEffect() throws Exception {
        assertThat(tunnel("default.test", "HTTP/1.0", "")).isEqualTo(TunnelConfig.ESTABLISHED);
        assertThat(tunnel("default.test", "HTTP/1.1", "")).isEqualTo(TunnelConfig.ESTABLISHED);
    }

    @Test
    void theBytesGoOutAsWrittenAndTheTunnelIsEstablishedWhateverTheySay() throws Exception {
        String bytes = "HTTP/1.1 403 Forbidden\r\nX-Tab:\t\"quoted\" back\\slash\r\n\r\n";
        assertThat(tunnel("raw.test", "HTTP/1.1", "")).isEqualTo(bytes);
        String log = logLine("raw.test");
        assertThat(log).startsWith("host:raw.test status:200 sent:" + (bytes.length() + 4) + " body:"
                + (bytes.length() + 4));
        // nothing is left to send once the tunnel is up
        assertThat(log).endsWith(" resp:[]");
    }

    @Test
    void theDirectiveIsEvaluatedAfterTheConnect() throws Exception {
        assertThat(tunnel("notes.test", "HTTP/1.1", "")).isEqualTo("ready " + Loopback.hostPort(echo.port()) + "\n");
    }

    @Test
    void aNonEmptyDirectiveBeatsTheVariableAnEmptyOneLetsItThrough() throws Exception {
        assertThat(tunnel("precedence.test", "HTTP/1.1", "X-Response: HTTP/1.1 200 From Header\r\n"))
                .isEqualTo("HTTP/1.1 200 From Header");
        assertThat(tunnel("precedence.test", "HTTP/1.1", "")).isEqualTo("HTTP/1.1 200 From Set\r\n\r\n");
    }

    @Test
    void aConnectAnsweredInRewriteLogsTheResponseItNeverSent() throws Exception {
        try (RawClient client = RawClient.connect(proxy.address())) {
            client.send("CONNECT " + Loopback.hostPort(echo.port()) + " HTTP/1.1\r\nHost: default.test\r\n"
                    + "X-Return: 1\r\n\r\n");
            assertThat(RawClient.status(client.readResponse())).isEqualTo(403);
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(proxy.lastLine("access.log"))
                .endsWith(" resp:[HTTP/1.1 200 Connection Established\\x0D\\x0AProxy-agent: nginx\\x0D\\x0A\\x0D\\x0A]"));
    }

    /**
     * Opens a tunnel through the server named {@code host}, reads the established response (up to
     * the echo of "ping" sent right after the head), and returns it.
     */
    private static String tunnel(String host, String version, String headers) throws Exception {
        try (RawClient client = RawClient.connect(proxy.address())) {
            client.send("CONNECT " + Loopback.hostPort(echo.port()) + " " + version + "\r\nHost: " + host + "\r\n"
                    + headers + "\r\nping");
            StringBuilder got = new StringBuilder();
            while (!got.toString().endsWith("ping")) {
                int b = client.input().read();
                if (b < 0) {
                    throw new AssertionError("EOF after " + got);
                }
                got.append((char) b);
            }
            client.shutdownOutput();
            assertThat(client.awaitEof()).isTrue();
            return got.substring(0, got.length() - 4);
        }
    }

    /** The last access-log line, which must be of {@code host}. */
    private static String logLine(String host) {
        String line = proxy.lastLine("access.log");
        assertThat(line).startsWith("host:" + host + " ");
        return line;
    }
}
