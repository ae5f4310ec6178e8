package io.tunnelgate.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tunnelgate.testsupport.EchoServer;
import io.tunnelgate.testsupport.Loopback;
import io.tunnelgate.testsupport.RawClient;
import io.tunnelgate.testsupport.TestProxy;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code worker_connections} as nginx counts it: client and upstream connections together, per
 * event loop. With one loop and 4 connections, two tunnels fill the budget; a third client is
 * closed unanswered and the main error log says {@code 4 worker_connections are not enough}; when
 * a tunnel ends its connections are free again.
 */
class WorkerConnectionsTest {
    private static final String CONFIG = """
            worker_processes 1;
            error_log ${DIR}/error.log;
            events {
                worker_connections 4;
            }
            http {
                access_log off;
                server {
                    listen 127.0.0.1:${PORT};
                    proxy_connect;
                    proxy_connect_allow all;
                }
            }
            """;

    @TempDir
    Path dir;

    private static RawClient tunnel(TestProxy proxy, EchoServer echo) throws IOException {
        RawClient c = RawClient.connect(proxy.address());
        assertThat(RawClient.status(c.requestTunnel(Loopback.hostPort(echo.port())))).isEqualTo(200);
        c.send("x");
        assertThat(new String(c.readExactly(1), StandardCharsets.ISO_8859_1)).isEqualTo("x");
        return c;
    }

    @Test
    void theThirdTunnelDoesNotFitInFourConnections() throws Exception {
        try (EchoServer echo = new EchoServer(); TestProxy proxy = TestProxy.start(dir, CONFIG)) {
            try (RawClient first = tunnel(proxy, echo); RawClient second = tunnel(proxy, echo)) {
                try (RawClient third = RawClient.connect(proxy.address())) {
                    third.send("CONNECT " + Loopback.hostPort(echo.port()) + " HTTP/1.1\r\nHost: x\r\n\r\n");
                    assertThat(third.awaitClosed()).isTrue();
                }
                await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(proxy.lines("error.log"))
                        .anyMatch(l -> l.contains("[alert]") && l.endsWith("4 worker_connections are not enough")));
                assertThat(echo.accepted()).isEqualTo(2);

                first.shutdownOutput();
                assertThat(first.awaitEof()).isTrue();
                // the first tunnel's two connections are released when it closes
                await().atMost(Duration.ofSeconds(5)).ignoreExceptions().untilAsserted(() -> {
                    try (RawClient again = tunnel(proxy, echo)) {
                        assertThat(again).isNotNull();
                    }
                });
            }
        }
    }
}
