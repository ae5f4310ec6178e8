package io.tunnelgate.tunnel;

import static java.util.concurrent.TimeUnit.MILLISECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tunnelgate.testsupport.EchoServer;
import io.tunnelgate.testsupport.Loopback;
import io.tunnelgate.testsupport.RawClient;
import io.tunnelgate.testsupport.ScriptedServer;
import io.tunnelgate.testsupport.StubDnsServer;
import io.tunnelgate.testsupport.TestProxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The module's variables in the access log (spec §2, §3.10): {@code $connect_host/_port/_addr} and the three
 * {@code S.mmm} times for a name resolved through the configured resolver and for an IP literal, the
 * first-byte time of a slow upstream, {@code -} for steps that never happened, and the empty-versus-{@code -}
 * rule on a plain GET.
 */
class TunnelVariablesTest {
    @TempDir
    Path dir;
    private StubDnsServer dns;
    private EchoServer echo;

    @BeforeEach
    void start() {
        dns = StubDnsServer.start();
        echo = new EchoServer();
    }

    @AfterEach
    void stop() {
        echo.close();
        dns.close();
    }

    @Test
    void aResolvedNameLogsItsHostPortAddressAndTimes() throws Exception {
        dns.a("origin.test", "127.0.0.1");
        try (TestProxy proxy = TunnelConfig.connectServer().resolver(dns).start(dir);
             RawClient client = RawClient.connect(proxy.address())) {
            // upper case, a trailing dot and a leading zero in the port: host is normalised, port kept as written
            String port = "0" + echo.port();
            assertThat(client.requestTunnel("ORIGIN.Test.:" + port)).isEqualTo(TunnelConfig.ESTABLISHED);
            client.send("x");
            assertThat(client.readExactly(1)).containsExactly('x');
            client.shutdownOutput();
            assertThat(client.awaitEof()).isTrue();

            LogFields log = LogFields.of(proxy.lastLine("access.log"));
            assertThat(log.get("status")).isEqualTo("200");
            assertThat(log.get("host")).isEqualTo("origin.test");
            assertThat(log.get("port")).isEqualTo(port);
            assertThat(log.get("addr")).isEqualTo(Loopback.hostPort(echo.port()));
            assertThat(log.seconds("rt")).isLessThan(2.0);
            assertThat(log.seconds("ct")).isLessThan(2.0);
            assertThat(log.seconds("fbt")).isGreaterThanOrEqualTo(log.seconds("ct")).isLessThan(2.0);
            assertThat(dns.queries("origin.test", "A")).isEqualTo(1);
        }
    }

    @Test
    void anIpLiteralNeedsNoResolverAndLogsZeroResolveTime() throws Exception {
        // no resolver in this config: a literal must not need one
        try (TestProxy proxy = TunnelConfig.connectServer().start(dir);
             RawClient client = RawClient.connect(proxy.address())) {
            assertThat(client.requestTunnel(Loopback.hostPort(echo.port()))).isEqualTo(TunnelConfig.ESTABLISHED);
            client.shutdownOutput();
            assertThat(client.awaitEof()).isTrue();

            LogFields log = LogFields.of(proxy.lastLine("access.log"));
            assertThat(log.get("rt")).isEqualTo("0.000");
            assertThat(log.seconds("ct")).isLessThan(2.0);
            // the upstream never sent a byte
            assertThat(log.get("fbt")).isEqualTo("-");
            assertThat(log.number("sent")).isEqualTo(TunnelConfig.ESTABLISHED.length());
        }
    }

    @Test
    void firstByteTimeIncludesTheUpstreamsDelay() throws Exception {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        // The 500 ms delay is the stimulus being measured, so it comes from a timer; nothing waits on it to
        // synchronise. The script then holds the connection until the tunnel closes it.
        try (ScriptedServer late = new ScriptedServer(socket -> {
                timer.schedule(() -> {
                    socket.getOutputStream().write("late".getBytes(StandardCharsets.ISO_8859_1));
                    return null;
                }, 500, MILLISECONDS).get();
                socket.getInputStream().readAllBytes();
            });
             TestProxy proxy = TunnelConfig.connectServer().start(dir);
             RawClient client = RawClient.connect(proxy.address())) {
            assertThat(client.requestTunnel(Loopback.hostPort(late.port()))).isEqualTo(TunnelConfig.ESTABLISHED);
            assertThat(new String(client.readExactly(4), StandardCharsets.ISO_8859_1)).isEqualTo("late");
            client.shutdownOutput();
            assertThat(client.awaitEof()).isTrue();

            LogFields log = LogFields.of(proxy.lastLine("access.log"));
            assertThat(log.seconds("fbt")).isGreaterThanOrEqualTo(0.4).isLessThan(2.0);
            assertThat(log.seconds("ct")).isLessThan(0.4);
        } finally {
            timer.shutdownNow();
        }
    }

    @Test
    void aFailedLookupLogsDashesForAddressAndTimes() throws Exception {
        // the stub answers an unknown name with NOERROR and no records: "Host not found"
        try (TestProxy proxy = TunnelConfig.connectServer().resolver(dns).start(dir);
             RawClient client = RawClient.connect(proxy.address())) {
            client.send(TunnelConfig.connectHead("nowhere.test:" + echo.port()));
            String response = client.readResponse();
            assertThat(RawClient.status(response)).isEqualTo(502);
            assertThat(response).contains("\r\nConnection: close\r\n");
            assertThat(client.awaitEof()).isTrue();

            LogFields log = LogFields.of(proxy.lastLine("access.log"));
            assertThat(log.get("status")).isEqualTo("502");
            assertThat(log.get("addr")).isEqualTo("-");
            assertThat(log.get("rt")).isEqualTo("-");
            assertThat(log.get("ct")).isEqualTo("-");
            assertThat(log.get("fbt")).isEqualTo("-");
            assertThat(proxy.lines("error.log")).anyMatch(l -> l.contains(
                    "[error]") && l.contains("proxy_connect: nowhere.test could not be resolved (3: Host not found)"));
            assertThat(echo.accepted()).isZero();
        }
    }

    @Test
    void aGetOnTheConnectServerLogsModuleVariablesEmptyAndConnectOnesAsDashes() throws Exception {
        String format = "resolve:$proxy_connect_resolve_time,connect:$proxy_connect_connect_time,"
                + "fbt:$proxy_connect_first_byte_time,cto:$proxy_connect_connect_timeout,"
                + "addr:$connect_addr,host:$connect_host,port:$connect_port,status:$status";
        try (TestProxy proxy = TunnelConfig.connectServer().format(format)
                .with("location / { return 200 \"ok\"; }").start(dir);
             RawClient client = RawClient.connect(proxy.address())) {
            client.send("GET / HTTP/1.1\r\nHost: example.test\r\nConnection: close\r\n\r\n");
            assertThat(RawClient.status(client.readResponse())).isEqualTo(200);
            await().atMost(Duration.ofSeconds(10)).until(() -> proxy.lastLine("access.log") != null);
            assertThat(proxy.lastLine("access.log"))
                    .isEqualTo("resolve:,connect:,fbt:,cto:,addr:-,host:-,port:-,status:200");
        }
    }
}
