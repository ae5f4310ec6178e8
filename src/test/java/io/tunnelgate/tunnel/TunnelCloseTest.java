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
import io.tunnelgate.testsupport.Received;
import io.tunnelgate.testsupport.RelayPaths;
import io.tunnelgate.testsupport.ScriptedServer;
import io.tunnelgate.testsupport.SourceServer;
import io.tunnelgate.testsupport.StubDnsServer;
import io.tunnelgate.testsupport.TestProxy;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
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
import org.junit.jupiter.params.provider.ValueSource;

/**
 * How a tunnel ends (spec §3.8). By default the first EOF of either side closes both connections once the
 * data read before it has been written on, and the access-log line is in the file when the client sees EOF.
 * With {@code proxy_connect_half_close on} each FIN is passed on and the other direction keeps working.
 */
@ParameterizedClass(name = "relay_splice {0}")
@ValueSource(strings = {"on", "off"})
class TunnelCloseTest {
    /** {@code relay_splice}: every test runs on the splice path and on the buffered one. */
    @Parameter
    String splice;

    private static final int MIB = 1 << 20;

    @TempDir
    Path dir;

    @Test
    void upstreamClosingAfterSendingDeliversEverythingThenEofWithTheLineAlreadyLogged() throws Exception {
        int size = 64 * 1024;
        try (SourceServer source = new SourceServer(size);
             TestProxy proxy = TunnelConfig.connectServer().relaySplice(splice).start(dir);
             RawClient client = RawClient.connect(proxy.address())) {
            assertThat(client.requestTunnel(Loopback.hostPort(source.port()))).isEqualTo(ESTABLISHED);
            // The upstream has written everything and closed before the client reads a byte: what is still in
            // flight must not be lost to the teardown.
            assertThat(source.nextConnection().get(10, SECONDS)).isEqualTo(size);

            assertThat(client.digestToEof()).isEqualTo(new Received(size, source.expectedSha256()));
            // read at once, no waiting: the line is written before the proxy closes the client socket
            LogFields log = LogFields.of(proxy.lastLine("access.log"));
            assertThat(log.get("status")).isEqualTo("200");
            assertThat(log.number("sent")).isEqualTo(ESTABLISHED.length() + size);
            RelayPaths.assertPath(proxy, splice);
        }
    }

    @Test
    void clientHalfCloseEndsTheWholeTunnelByDefault() throws Exception {
        CompletableFuture<String> upstreamRead = new CompletableFuture<>();
        try (ScriptedServer upstream = new ScriptedServer(socket -> {
                upstreamRead.complete(new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1));
                // A FIN passed on (instead of a full close) would let this reach the client.
                socket.getOutputStream().write("too late".getBytes(StandardCharsets.ISO_8859_1));
                ScriptedServer.holdUntilClosed();
            });
             TestProxy proxy = TunnelConfig.connectServer().relaySplice(splice).start(dir);
             RawClient client = RawClient.connect(proxy.address())) {
            assertThat(client.requestTunnel(Loopback.hostPort(upstream.port()))).isEqualTo(ESTABLISHED);
            client.send("last words");
            client.shutdownOutput();

            assertThat(client.awaitEof()).as("closed although the upstream keeps its side open").isTrue();
            assertThat(upstreamRead.get(10, SECONDS)).isEqualTo("last words");
            assertThat(LogFields.of(proxy.lastLine("access.log")).get("status")).isEqualTo("200");
            RelayPaths.assertPath(proxy, splice);
        }
    }

    @Test
    void clientHalfCloseCutsOffTheEchoByDefault() throws Exception {
        // echoes as it reads, except the last KiB, which it sends back only once it has seen EOF: by
        // default the proxy never passes the client's FIN on, it closes, so that KiB cannot come back
        int heldBack = 1024;
        try (ScriptedServer echo = new ScriptedServer(socket -> {
                 InputStream in = socket.getInputStream();
                 OutputStream out = socket.getOutputStream();
                 byte[] buf = new byte[16384];
                 long echoed = 0;
                 for (int n; (n = in.read(buf)) > 0; ) {
                     int now = (int) Math.max(0, Math.min(n, MIB - heldBack - echoed));
                     out.write(buf, 0, now);
                     echoed += now;
                 }
                 out.write(new byte[heldBack]);
             });
             TestProxy proxy = TunnelConfig.connectServer().relaySplice(splice).start(dir);
             RawClient client = RawClient.connect(proxy.address())) {
            assertThat(client.requestTunnel(Loopback.hostPort(echo.port()))).isEqualTo(ESTABLISHED);
            CompletableFuture<Void> writer = sendThenFin(client, MIB, 41);

            // the proxy closes once the last client byte is written upstream; what came back is an intact prefix
            byte[] received = client.input().readAllBytes();
            writer.get(10, SECONDS);
            assertThat(received.length).isLessThanOrEqualTo(MIB - heldBack);
            assertThat(Payload.sha256(received)).isEqualTo(Payload.sha256(received.length, 41));
            assertThat(LogFields.of(proxy.lastLine("access.log")).number("sent"))
                    .isEqualTo(ESTABLISHED.length() + received.length);
            RelayPaths.assertPath(proxy, splice);
        }
    }

    @Test
    void halfCloseOnPassesTheClientsFinAndKeepsTheEchoFlowing() throws Exception {
        try (EchoServer echo = new EchoServer();
             TestProxy proxy = TunnelConfig.connectServer().relaySplice(splice).with("proxy_connect_half_close on;").start(dir);
             RawClient client = RawClient.connect(proxy.address())) {
            assertThat(client.requestTunnel(Loopback.hostPort(echo.port()))).isEqualTo(ESTABLISHED);
            CompletableFuture<Void> writer = sendThenFin(client, MIB, 42);

            assertThat(client.digestToEof()).isEqualTo(new Received(MIB, Payload.sha256(MIB, 42)));
            writer.get(10, SECONDS);
            // read at once: the upstream's FIN ended the last direction, so the close that delivered it came
            // after the access-log line, as without half-close
            LogFields log = LogFields.of(proxy.lastLine("access.log"));
            assertThat(log.get("status")).isEqualTo("200");
            assertThat(log.number("sent")).isEqualTo(ESTABLISHED.length() + MIB);
            RelayPaths.assertPath(proxy, splice);
        }
    }

    @Test
    void halfCloseOnPassesTheUpstreamsFinAndKeepsTheClientsDirection() throws Exception {
        CompletableFuture<String> upstreamRead = new CompletableFuture<>();
        try (ScriptedServer upstream = new ScriptedServer(socket -> {
                socket.getOutputStream().write("bye".getBytes(StandardCharsets.ISO_8859_1));
                socket.shutdownOutput();
                upstreamRead.complete(new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1));
            });
             TestProxy proxy = TunnelConfig.connectServer().relaySplice(splice).with("proxy_connect_half_close on;").start(dir);
             RawClient client = RawClient.connect(proxy.address())) {
            assertThat(client.requestTunnel(Loopback.hostPort(upstream.port()))).isEqualTo(ESTABLISHED);
            assertThat(new String(client.readExactly(3), StandardCharsets.ISO_8859_1)).isEqualTo("bye");
            assertThat(client.awaitEof()).isTrue();

            client.send("still here");
            client.shutdownOutput();
            assertThat(upstreamRead.get(10, SECONDS)).isEqualTo("still here");
            await().atMost(10, SECONDS).untilAsserted(() ->
                    assertThat(proxy.lastLine("access.log")).startsWith("status:200 "));
            RelayPaths.assertPath(proxy, splice);
        }
    }

    @Test
    void halfCloseOnDeliversADownloadThatOutlastsTheClientsFinToASlowReader() throws Exception {
        int size = 16 * MIB;
        try (SourceServer source = new SourceServer(size);
             TestProxy proxy = TunnelConfig.connectServer().relaySplice(splice).with("proxy_connect_half_close on;")
                     .start(dir);
             RawClient client = RawClient.connect(proxy.address())) {
            assertThat(client.requestTunnel(Loopback.hostPort(source.port()))).isEqualTo(ESTABLISHED);
            client.shutdownOutput();
            // the client reads nothing until the proxy has had to wait for it to take more
            int clientPort = client.socket().getLocalPort();
            AtomicReference<TcpQueues.Socket> last = new AtomicReference<>();
            // (the socket shows in CLOSE_WAIT once the kernel has taken the FIN)
            await().atMost(10, SECONDS).pollInterval(Duration.ofMillis(100)).ignoreExceptions().until(() -> {
                TcpQueues.Socket now = TcpQueues.readPeerFinished().between(proxy.port(), clientPort);
                return now.sendQueue() > 0 && now.equals(last.getAndSet(now));
            });

            assertThat(client.digestToEof()).isEqualTo(new Received(size, source.expectedSha256()));
            LogFields log = LogFields.of(proxy.lastLine("access.log"));
            assertThat(log.number("sent")).isEqualTo(ESTABLISHED.length() + size);
            RelayPaths.assertPath(proxy, splice);
        }
    }

    @Test
    void halfCloseOnKeepsAFinThatArrivedWhileResolving() throws Exception {
        try (StubDnsServer dns = StubDnsServer.start();
             EchoServer echo = new EchoServer();
             TestProxy proxy = TunnelConfig.connectServer().relaySplice(splice).resolver(dns).with("proxy_connect_half_close on;")
                     .start(dir);
             RawClient client = RawClient.connect(proxy.address())) {
            CompletableFuture<Void> release = dns.hold("held.test");
            dns.a("held.test", "127.0.0.1");
            client.send(connectHead("held.test:" + echo.port()) + "data");
            client.shutdownOutput();
            await().atMost(10, SECONDS).until(() -> dns.queries("held.test", "A") >= 1);

            release.complete(null);
            assertThat(client.readHead()).isEqualTo(ESTABLISHED);
            assertThat(new String(client.readToEof(), StandardCharsets.ISO_8859_1)).isEqualTo("data");
            assertThat(LogFields.of(proxy.lastLine("access.log")).get("status")).isEqualTo("200");
            RelayPaths.assertPath(proxy, splice);
        }
    }

    @Test
    void aResetByTheUpstreamMidStreamClosesTheClientAndLogsOnce() throws Exception {
        try (ScriptedServer upstream = new ScriptedServer(socket -> {
                socket.getOutputStream().write(Payload.bytes(MIB, 43));
                socket.getInputStream().read();
                socket.setSoLinger(true, 0);
                socket.close();
            });
             TestProxy proxy = TunnelConfig.connectServer().relaySplice(splice).start(dir);
             RawClient client = RawClient.connect(proxy.address())) {
            assertThat(client.requestTunnel(Loopback.hostPort(upstream.port()))).isEqualTo(ESTABLISHED);
            assertThat(client.readExactly(MIB)).isEqualTo(Payload.bytes(MIB, 43));
            client.send("reset now");

            assertThat(client.awaitClosed()).isTrue();
            assertLoggedOnce(proxy);
            RelayPaths.assertPath(proxy, splice);
        }
    }

    @Test
    void aResetByTheClientMidStreamClosesTheUpstreamAndLogsOnce() throws Exception {
        try (SourceServer source = new SourceServer(1L << 30);
             TestProxy proxy = TunnelConfig.connectServer().relaySplice(splice).start(dir);
             RawClient client = RawClient.connect(proxy.address())) {
            assertThat(client.requestTunnel(Loopback.hostPort(source.port()))).isEqualTo(ESTABLISHED);
            assertThat(client.digest(MIB)).isEqualTo(new Received(MIB, Payload.sha256(MIB, Payload.DEFAULT_SEED)));

            client.reset();
            // the proxy closed the upstream: the source's endless write failed
            assertThat(source.nextConnection()).failsWithin(10, SECONDS);
            await().atMost(10, SECONDS).until(() -> source.active() == 0);
            assertLoggedOnce(proxy);
            RelayPaths.assertPath(proxy, splice);
        }
    }

    /** Exactly one access-log line for the one tunnel, a 200, and no unexpected error behind it. */
    private static void assertLoggedOnce(TestProxy proxy) {
        await().atMost(10, SECONDS).until(() -> !proxy.lines("access.log").isEmpty());
        proxy.settleLogs("access.log");
        assertThat(proxy.lines("access.log")).hasSize(1).allSatisfy(l -> assertThat(l).startsWith("status:200 "));
        assertThat(proxy.lines("error.log")).noneMatch(l -> l.contains("unexpected"));
    }

    /** Sends {@code size} payload bytes and a FIN from another thread, so the caller can read meanwhile. */
    private static CompletableFuture<Void> sendThenFin(RawClient client, int size, long seed) {
        return CompletableFuture.runAsync(() -> {
            try {
                client.sendPayload(size, seed).shutdownOutput();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }
}
