package io.tunnelgate.tunnel;

import static io.tunnelgate.tunnel.TunnelConfig.ESTABLISHED;
import static io.tunnelgate.tunnel.TunnelConfig.connectHead;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tunnelgate.testsupport.EchoServer;
import io.tunnelgate.testsupport.Loopback;
import io.tunnelgate.testsupport.Payload;
import io.tunnelgate.testsupport.RawClient;
import io.tunnelgate.testsupport.RelayPaths;
import io.tunnelgate.testsupport.StubDnsServer;
import io.tunnelgate.testsupport.TestProxy;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Bytes the client sends before the 200 (spec §3.8, "pipelined client bytes"): those that came in the same
 * packet as the CONNECT head, and those sent while the name is still being resolved, reach the upstream first,
 * after the 200 has been written, with nothing lost or reordered; while waiting, the proxy reads only a bounded
 * amount of them.
 */
@ParameterizedClass(name = "relay_splice {0}")
@ValueSource(strings = {"on", "off"})
class EarlyDataTest {
    /** {@code relay_splice}: every test runs on the splice path and on the buffered one. */
    @Parameter
    String splice;

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"epoll", "nio"})
    void payloadInTheSameWriteAsTheHeadIsRelayedAfterThe200(String transport) throws Exception {
        try (EchoServer echo = new EchoServer();
             TestProxy proxy = TunnelConfig.connectServer().relaySplice(splice).events("use " + transport + ";").start(dir);
             RawClient client = RawClient.connect(proxy.address())) {
            String head = connectHead(Loopback.hostPort(echo.port()));
            client.send(head + "PING");
            assertThat(client.readHead()).isEqualTo(ESTABLISHED);
            assertThat(text(client.readExactly(4))).isEqualTo("PING");
            client.send("PONG");
            assertThat(text(client.readExactly(4))).isEqualTo("PONG");
            client.shutdownOutput();
            assertThat(client.awaitEof()).isTrue();

            LogFields log = LogFields.of(proxy.lastLine("access.log"));
            // the early bytes belong to the tunnel, not to the request head
            assertThat(log.number("len")).isEqualTo(head.length());
            assertThat(log.number("sent")).isEqualTo(ESTABLISHED.length() + 8);
            assertThat(echo.echoed()).isEqualTo(8);
            RelayPaths.assertPath(proxy, splice);
        }
    }

    @Test
    void bytesSentWhileTheLookupIsHeldArriveInOrderAndTheProxyStopsReadingAtALimit() throws Exception {
        try (StubDnsServer dns = StubDnsServer.start();
             EchoServer echo = new EchoServer();
             TestProxy proxy = TunnelConfig.connectServer().relaySplice(splice).resolver(dns).start(dir);
             RawClient client = RawClient.connect(proxy.address())) {
            CompletableFuture<Void> release = dns.hold("held.test");
            dns.a("held.test", "127.0.0.1");
            int clientPort = client.socket().getLocalPort();
            ByteArrayOutputStream expected = new ByteArrayOutputStream();

            client.send(connectHead("held.test:" + echo.port()) + "one");
            expected.writeBytes("one".getBytes(StandardCharsets.ISO_8859_1));
            await().atMost(10, SECONDS).until(() -> dns.queries("held.test", "A") >= 1);

            byte[] small = Payload.bytes(16 * 1024, 21);
            client.send(small);
            expected.writeBytes(small);
            // While resolving, the proxy keeps reading (to notice a client that leaves): all of it leaves the kernel.
            await().atMost(10, SECONDS).until(() ->
                    TcpQueues.read().between(proxy.port(), clientPort).receiveQueue() == 0);

            // Far more than any sane pending limit: the proxy must stop reading and leave the rest in the kernel.
            byte[] big = Payload.bytes(1024 * 1024, 22);
            expected.writeBytes(big);
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> send(client, big));
            AtomicReference<TcpQueues.Socket> last = new AtomicReference<>();
            await().atMost(10, SECONDS).pollInterval(Duration.ofMillis(200)).until(() -> {
                TcpQueues.Socket now = TcpQueues.read().between(proxy.port(), clientPort);
                return now.receiveQueue() > 0 && now.equals(last.getAndSet(now));
            });
            assertThat(echo.accepted()).as("no upstream before the name is resolved").isZero();

            release.complete(null);
            assertThat(client.readHead()).isEqualTo(ESTABLISHED);
            byte[] echoed = client.readExactly(expected.size());
            writer.get(10, SECONDS);
            assertThat(Payload.sha256(echoed)).as("echo of everything, in order")
                    .isEqualTo(Payload.sha256(expected.toByteArray()));
            client.shutdownOutput();
            assertThat(client.awaitEof()).isTrue();
            assertThat(LogFields.of(proxy.lastLine("access.log")).get("status")).isEqualTo("200");
            RelayPaths.assertPath(proxy, splice);
        }
    }

    private static void send(RawClient client, byte[] data) {
        try {
            client.send(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }
}
