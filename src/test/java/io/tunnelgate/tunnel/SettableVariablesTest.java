package io.tunnelgate.tunnel;

import static java.util.concurrent.TimeUnit.NANOSECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tunnelgate.testsupport.EchoServer;
import io.tunnelgate.testsupport.Loopback;
import io.tunnelgate.testsupport.RawClient;
import io.tunnelgate.testsupport.TestProxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The module's settable variables (spec §2): the timeouts read as integer milliseconds, take
 * nginx time strings when set (a bare number is seconds), keep their value and log the module's
 * {@code invalid msec "<v>" (ctx offset=N)} line (104 connect, 112 send, 120 data) for a bad one;
 * {@code $proxy_connect_read_timeout} is the data timeout under another name, and the value set is
 * the one the timers use; {@code $proxy_connect_send_timeout} is kept and used by nothing; on a GET
 * they read empty and setting them does nothing, not even log. {@code $proxy_connect_response}
 * reads as the default response in a {@code return}.
 */
class SettableVariablesTest {
    @TempDir
    static Path dir;
    private static TestProxy proxy;
    private static EchoServer echo;

    @BeforeAll
    static void start() {
        echo = new EchoServer();
        proxy = TestProxy.start(dir, """
                error_log ${DIR}/error.log info;
                http {
                    log_format t 'status:$status ct:$proxy_connect_connect_timeout dt:$proxy_connect_data_timeout '
                                 'rt:$proxy_connect_read_timeout st:$proxy_connect_send_timeout';
                    access_log ${DIR}/access.log t;
                    server {
                        listen 127.0.0.1:${PORT};
                        server_name vars.test;
                        proxy_connect;
                        proxy_connect_allow all;
                        proxy_connect_connect_timeout 10s;
                        proxy_connect_read_timeout 1m;
                        proxy_connect_send_timeout 500ms;
                        if ($http_x_ct) {
                            set $proxy_connect_connect_timeout $http_x_ct;
                        }
                        if ($http_x_dt) {
                            set $proxy_connect_data_timeout $http_x_dt;
                        }
                        if ($http_x_rt) {
                            set $proxy_connect_read_timeout $http_x_rt;
                        }
                        if ($http_x_st) {
                            set $proxy_connect_send_timeout $http_x_st;
                        }
                        if ($http_x_show) {
                            return 200 "|$proxy_connect_response|ct=$proxy_connect_connect_timeout|";
                        }
                        location / {
                            return 200 "ct=[$proxy_connect_connect_timeout] resp=[$proxy_connect_response]";
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
    void theConfiguredTimeoutsReadAsMilliseconds() throws Exception {
        assertThat(tunnelLog("")).isEqualTo("status:200 ct:10000 dt:60000 rt:60000 st:500");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "X-CT: 10ms          | status:200 ct:10 dt:60000 rt:60000 st:500",
        "X-CT: 1s            | status:200 ct:1000 dt:60000 rt:60000 st:500",
        "X-CT: 7             | status:200 ct:7000 dt:60000 rt:60000 st:500",
        "X-CT: 1m30s         | status:200 ct:90000 dt:60000 rt:60000 st:500",
        "X-CT: 1s 500ms      | status:200 ct:1500 dt:60000 rt:60000 st:500",
        "X-DT: 2h            | status:200 ct:10000 dt:7200000 rt:7200000 st:500",
        "X-RT: 1d            | status:200 ct:10000 dt:86400000 rt:86400000 st:500",
        "X-ST: 1w            | status:200 ct:10000 dt:60000 rt:60000 st:604800000",
    })
    void setTakesNginxTimeStrings(String header, String logged) throws Exception {
        assertThat(tunnelLog(header + "\r\n")).isEqualTo(logged);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "X-CT: abc  | abc  | 104",
        "X-CT: 1y   | 1y   | 104",
        "X-ST: 5M   | 5M   | 112",
        "X-DT: -1s  | -1s  | 120",
        "X-RT: 10q  | 10q  | 120",
    })
    void aBadValueIsLoggedAndChangesNothing(String header, String value, int offset) throws Exception {
        assertThat(tunnelLog(header + "\r\n")).isEqualTo("status:200 ct:10000 dt:60000 rt:60000 st:500");
        assertThat(proxy.lines("error.log")).anyMatch(l -> l.contains("[error]") && l.contains(
                "proxy_connect: invalid msec \"" + value + "\" (ctx offset=" + offset + "), client: 127.0.0.1"));
    }

    @Test
    void theReadTimeoutVariableSetsTheIdleTimerOfTheTunnel() throws Exception {
        try (RawClient client = RawClient.connect(proxy.address())) {
            client.send(head("X-RT: 200ms\r\n"));
            assertThat(client.readHead()).isEqualTo(TunnelConfig.ESTABLISHED);
            long start = System.nanoTime();
            assertThat(client.awaitEof()).isTrue();
            assertThat(NANOSECONDS.toMillis(System.nanoTime() - start)).isBetween(150L, 5000L);
        }
        assertThat(proxy.lastLine("access.log")).isEqualTo("status:200 ct:10000 dt:200 rt:200 st:500");
    }

    @Test
    void theConnectTimeoutVariableSetsTheConnectTimer() throws Exception {
        try (PendingConnectPort pending = PendingConnectPort.open();
             RawClient client = RawClient.connect(proxy.address())) {
            long start = System.nanoTime();
            client.send("CONNECT " + Loopback.hostPort(pending.port()) + " HTTP/1.1\r\nHost: vars.test\r\n"
                    + "X-CT: 100ms\r\n\r\n");
            assertThat(RawClient.status(client.readResponse())).isEqualTo(504);
            assertThat(NANOSECONDS.toMillis(System.nanoTime() - start)).isBetween(50L, 5000L);
        }
    }

    @Test
    void theSendTimeoutIsUsedByNothing() throws Exception {
        try (RawClient client = RawClient.connect(proxy.address())) {
            client.send(head("X-ST: 1ms\r\n"));
            assertThat(client.readHead()).isEqualTo(TunnelConfig.ESTABLISHED);
            for (int i = 0; i < 3; i++) {
                client.send("ping");
                assertThat(new String(client.readExactly(4), StandardCharsets.ISO_8859_1)).isEqualTo("ping");
            }
            client.shutdownOutput();
            assertThat(client.awaitEof()).isTrue();
        }
        assertThat(proxy.lastLine("access.log")).endsWith(" st:1");
    }

    @Test
    void onAGetTheyReadEmptyAndSettingThemIsIgnoredSilently() throws Exception {
        int errors = proxy.lines("error.log").size();
        try (RawClient client = RawClient.connect(proxy.address())) {
            client.send("GET / HTTP/1.1\r\nHost: vars.test\r\nX-CT: abc\r\nX-DT: 5s\r\n\r\n");
            assertThat(client.readResponse()).endsWith("\r\n\r\nct=[] resp=[]");
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(proxy.lastLine("access.log")).isEqualTo("status:200 ct: dt: rt: st:"));
        List<String> lines = proxy.lines("error.log");
        assertThat(lines.subList(errors, lines.size())).noneMatch(l -> l.contains("invalid msec"));
    }

    @Test
    void theResponseVariableReadsAsTheDefaultInAReturn() throws Exception {
        try (RawClient client = RawClient.connect(proxy.address())) {
            client.send(head("X-Show: 1\r\nX-CT: 3s\r\n"));
            assertThat(client.readResponse()).endsWith(
                    "\r\n\r\n|HTTP/1.1 200 Connection Established\r\nProxy-agent: nginx\r\n\r\n|ct=3000|");
        }
    }

    private static String head(String headers) {
        return "CONNECT " + Loopback.hostPort(echo.port()) + " HTTP/1.1\r\nHost: vars.test\r\n" + headers + "\r\n";
    }

    /** A tunnel with {@code headers}, closed by the client at once; returns its access-log line. */
    private static String tunnelLog(String headers) throws Exception {
        try (RawClient client = RawClient.connect(proxy.address())) {
            client.send(head(headers));
            assertThat(client.readHead()).isEqualTo(TunnelConfig.ESTABLISHED);
            client.shutdownOutput();
            assertThat(client.awaitEof()).isTrue();
        }
        return proxy.lastLine("access.log");
    }
}
