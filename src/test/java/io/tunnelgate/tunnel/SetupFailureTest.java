package io.tunnelgate.tunnel;

import static io.tunnelgate.tunnel.TunnelConfig.connectHead;
import static java.util.concurrent.TimeUnit.NANOSECONDS;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tunnelgate.testsupport.EchoServer;
import io.tunnelgate.testsupport.Loopback;
import io.tunnelgate.testsupport.RawClient;
import io.tunnelgate.testsupport.StubDnsServer;
import io.tunnelgate.testsupport.TestProxy;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A tunnel that never gets established (spec §3.6, §3.8, §3.9): a client that leaves during the lookup or the
 * connect ends the request with 499 and gets nothing; a connect that never completes is a 504 after
 * {@code proxy_connect_connect_timeout}; a refused one is a 502. Each writes nginx's error-log line and the
 * access-log fields of §2. A pending connect comes from a {@link PendingConnectPort}.
 */
class SetupFailureTest {
    private static final String PREMATURE = "proxy_connect: client prematurely closed connection";

    private static PendingConnectPort pending;

    @TempDir
    Path dir;

    @BeforeAll
    static void openPendingPort() throws Exception {
        pending = PendingConnectPort.open();
    }

    @AfterAll
    static void closePendingPort() throws Exception {
        pending.close();
    }

    @Test
    void clientLeavingDuringTheLookupIs499AndGetsNothing() throws Exception {
        try (StubDnsServer dns = StubDnsServer.start();
             EchoServer echo = new EchoServer();
             TestProxy proxy = TunnelConfig.connectServer().resolver(dns).start(dir);
             RawClient client = RawClient.connect(proxy.address())) {
            CompletableFuture<Void> release = dns.hold("held.test");
            dns.a("held.test", "127.0.0.1");
            try {
                client.send(connectHead("held.test:" + echo.port()));
                await().atMost(10, SECONDS).until(() -> dns.queries("held.test", "A") >= 1);
                // A FIN is enough: without half-close the module treats it as the client leaving.
                client.shutdownOutput();

                assertThat(client.awaitEof()).as("closed without a byte").isTrue();
                LogFields log = LogFields.of(proxy.lastLine("access.log"));
                assertThat(log.get("status")).isEqualTo("499");
                assertThat(log.number("sent")).isZero();
                assertThat(log.get("addr")).isEqualTo("-");
                assertThat(log.get("rt")).isEqualTo("-");
                assertThat(proxy.lines("error.log"))
                        .anyMatch(l -> l.contains("[info]") && l.contains(PREMATURE + ", client: 127.0.0.1"))
                        .noneMatch(l -> l.contains("so upstream connection is closed too"));
            } finally {
                release.complete(null);
            }
            assertThat(echo.accepted()).isZero();
        }
    }

    @Test
    void clientLeavingDuringThePendingConnectIs499AndTheConnectIsAbandoned() throws Exception {
        try (TestProxy proxy = TunnelConfig.connectServer().start(dir);
             RawClient client = RawClient.connect(proxy.address())) {
            client.send(connectHead(Loopback.hostPort(pending.port())));
            await().atMost(10, SECONDS).until(() -> TcpQueues.connectsPendingTo(pending.port()) == 1);
            client.close();

            await().atMost(10, SECONDS).until(() -> proxy.lastLine("access.log") != null);
            LogFields log = LogFields.of(proxy.lastLine("access.log"));
            assertThat(log.get("status")).isEqualTo("499");
            assertThat(log.get("addr")).isEqualTo(Loopback.hostPort(pending.port()));
            assertThat(log.get("ct")).isEqualTo("-");
            assertThat(proxy.lines("error.log")).anyMatch(l -> l.contains("[info]")
                    && l.contains(PREMATURE + ", so upstream connection is closed too"));
            await().atMost(10, SECONDS).until(() -> TcpQueues.connectsPendingTo(pending.port()) == 0);
        }
    }

    @Test
    void aConnectThatNeverCompletesIs504AfterTheConnectTimeout() throws Exception {
        try (TestProxy proxy = TunnelConfig.connectServer().with("proxy_connect_connect_timeout 300ms;").start(dir);
             RawClient client = RawClient.connect(proxy.address())) {
            String peer = Loopback.hostPort(pending.port());
            long start = System.nanoTime();
            client.send(connectHead(peer));
            String response = client.readResponse();
            long waitedMillis = NANOSECONDS.toMillis(System.nanoTime() - start);

            assertThat(response).startsWith("HTTP/1.1 504 Gateway Time-out\r\n").contains("\r\nConnection: close\r\n")
                    .contains("\r\nProxy-Status: tunnelgate; error=connection_timeout; details=\"upstream connect timed out\"\r\n");
            assertThat(waitedMillis).isBetween(250L, 3000L);
            assertThat(client.awaitEof()).isTrue();
            LogFields log = LogFields.of(proxy.lastLine("access.log"));
            assertThat(log.get("status")).isEqualTo("504");
            assertThat(log.get("addr")).isEqualTo(peer);
            assertThat(log.get("rt")).isEqualTo("0.000");
            assertThat(log.get("ct")).isEqualTo("-");
            assertThat(log.get("fbt")).isEqualTo("-");
            assertThat(proxy.lines("error.log")).anyMatch(l -> l.contains("[error]") && l.contains(
                    "proxy_connect: upstream connect timed out (peer:" + peer + ") while connecting to upstream"));
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"epoll", "nio"})
    void aRefusedConnectIs502(String transport) throws Exception {
        int closed = Loopback.closedPort();
        try (TestProxy proxy = TunnelConfig.connectServer().events("use " + transport + ";").start(dir);
             RawClient client = RawClient.connect(proxy.address())) {
            client.send(connectHead(Loopback.hostPort(closed)));
            String response = client.readResponse();

            assertThat(response).startsWith("HTTP/1.1 502 Bad Gateway\r\n").contains("\r\nConnection: close\r\n")
                    .contains("\r\nProxy-Status: tunnelgate; error=connection_refused;"
                            + " details=\"upstream connect failed (111: Connection refused)\"\r\n");
            assertThat(client.awaitEof()).isTrue();
            LogFields log = LogFields.of(proxy.lastLine("access.log"));
            assertThat(log.get("status")).isEqualTo("502");
            assertThat(log.get("addr")).isEqualTo(Loopback.hostPort(closed));
            assertThat(log.get("ct")).isEqualTo("-");
            assertThat(proxy.lines("error.log")).anyMatch(l -> l.contains("[error]") && l.contains(
                    "proxy_connect: upstream connect failed (111: Connection refused) while connecting to upstream"));
        }
    }
}
