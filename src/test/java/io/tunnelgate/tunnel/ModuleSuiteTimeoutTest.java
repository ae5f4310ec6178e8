package io.tunnelgate.tunnel;

import static java.util.concurrent.TimeUnit.MILLISECONDS;
import static java.util.concurrent.TimeUnit.NANOSECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tunnelgate.testsupport.EchoServer;
import io.tunnelgate.testsupport.RawClient;
import io.tunnelgate.testsupport.StubDnsServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The module's {@code t/http_proxy_connect_timeout.t}: per-request timeouts set with
 * {@code set $proxy_connect_*_timeout} (server level and inside {@code if}), read back in the access
 * log as integer milliseconds, with a connect timeout that fires (504 and its error-log line); and a
 * data timeout taken from a request header that lets a tunnel live while bytes keep flowing and
 * closes it once they stop, with the module's info line.
 *
 * <p>The module's names resolve to 8.8.8.8 and its test passes only where connecting there times
 * out. Tests here dial loopback only: the names resolve to 127.0.0.1 and the port is one where a
 * connect stays pending ({@link PendingConnectPort}), so the timeout always fires.
 */
class ModuleSuiteTimeoutTest {
    private static final String LOG_FORMAT = """
                log_format connect '$remote_addr - $remote_user [$time_local] "$request" '
                                   '$status $body_bytes_sent var:$connect_host-$connect_port-$connect_addr '
                                   ' c:$proxy_connect_connect_timeout,r:$proxy_connect_data_timeout';
            """;

    @TempDir
    Path dir;

    @Test
    void timeoutsSetPerHostApplyAndAreLoggedInMilliseconds() throws Exception {
        try (StubDnsServer dns = StubDnsServer.start();
             PendingConnectPort pending = PendingConnectPort.open();
             SuiteProxy proxy = SuiteProxy.start(dir, """
                     events { }
                     http {
                     %s
                         access_log ${DIR}/connect.log connect;
                         error_log ${DIR}/connect_error.log error;
                         resolver 127.0.0.1:%d ipv6=off;
                         server {
                             listen 127.0.0.1:${PORT};
                             server_name localhost;
                             proxy_connect;
                             proxy_connect_allow all;
                             proxy_connect_connect_timeout 10s;
                             proxy_connect_data_timeout 10s;

                             set $proxy_connect_connect_timeout "101ms";
                             set $proxy_connect_data_timeout "103ms";

                             if ($host = "test-connect-timeout.com") {
                                 set $proxy_connect_connect_timeout "1ms";
                             }
                             if ($host = "test-read-timeout.com") {
                                 set $proxy_connect_connect_timeout "3ms";
                                 set $proxy_connect_data_timeout "1ms";
                             }
                         }
                     }
                     """.formatted(LOG_FORMAT, dns.address().getPort()))) {
            dns.a("test-connect-timeout.com", "127.0.0.1").a("test-read-timeout.com", "127.0.0.1");
            int port = pending.port();

            assertThat(proxy.connect("test-connect-timeout.com", port, "/")).startsWith("HTTP/1.1 504 ");
            assertLogged(proxy, "connect.log", "\"CONNECT test-connect-timeout.com:" + port + " HTTP/1.1\" 504 .+ c:1,r:103");
            assertLogged(proxy, "connect_error.log", Pattern.quote("proxy_connect: upstream connect timed out (peer:127.0.0.1:"
                    + port + ") while connecting to upstream"));

            proxy.connect("test-read-timeout.com", port, "/");
            assertLogged(proxy, "connect.log", "\"CONNECT test-read-timeout.com:" + port + " HTTP/1.1\" \\d{3} .+ c:3,r:1");
        }
    }

    @Test
    void aDataTimeoutFromAHeaderClosesOnlyAnIdleTunnel() throws Exception {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        try (EchoServer echo = new EchoServer();
             SuiteProxy proxy = SuiteProxy.start(dir, """
                     events { }
                     http {
                     %s
                         access_log ${DIR}/connect.log connect;
                         error_log ${DIR}/connect_timeout_error.log debug;
                         server {
                             listen 127.0.0.1:${PORT};
                             server_name localhost;
                             proxy_connect;
                             proxy_connect_allow all;
                             proxy_connect_data_timeout 10s;
                             proxy_connect_address "127.0.0.1:%d";

                             if ($http_x_timeout) {
                                 set $proxy_connect_data_timeout $http_x_timeout;
                             }
                         }
                     }
                     """.formatted(LOG_FORMAT, echo.port()));
             RawClient client = RawClient.connect(proxy.proxy().address())) {
            client.send("CONNECT 127.0.0.1:" + echo.port() + " HTTP/1.1\nHost: stream\nX-Timeout: 1000ms\n\n");
            assertThat(client.readHead()).contains("200 Connection Established");

            byte[] data = ("1234567890".repeat(10) + "F").getBytes(StandardCharsets.ISO_8859_1);
            long lastActivity = 0;
            for (int i = 0; i < 8; i++) {
                // gaps of 0 to 700 ms, each under the 1000 ms timeout though they add up to far more; the
                // gap is the stimulus, so a timer makes it
                timer.schedule(() -> client.send(data), i * 100L, MILLISECONDS).get();
                assertThat(client.readExactly(data.length)).isEqualTo(data);
                lastActivity = System.nanoTime();
            }
            Pattern timedOut = Pattern.compile("proxy_connect: connection timed out .* \"CONNECT .*\", host: \"stream\"");
            assertThat(proxy.lines("connect_timeout_error.log")).noneMatch(l -> timedOut.matcher(l).find());

            assertThat(client.awaitEof()).isTrue();
            assertThat(NANOSECONDS.toMillis(System.nanoTime() - lastActivity)).isGreaterThanOrEqualTo(900);
            assertThat(proxy.lines("connect_timeout_error.log")).anyMatch(l -> timedOut.matcher(l).find()
                    && l.contains("[info]"));
        } finally {
            timer.shutdownNow();
        }
    }

    private static void assertLogged(SuiteProxy proxy, String file, String regex) {
        Pattern p = Pattern.compile(regex);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(proxy.lines(file)).anyMatch(l -> p.matcher(l).find()));
    }
}
