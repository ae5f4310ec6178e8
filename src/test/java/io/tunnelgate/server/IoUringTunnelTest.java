package io.tunnelgate.server;

import static java.util.concurrent.TimeUnit.NANOSECONDS;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tunnelgate.testsupport.EchoServer;
import io.tunnelgate.testsupport.Loopback;
import io.tunnelgate.testsupport.Payload;
import io.tunnelgate.testsupport.RawClient;
import io.tunnelgate.testsupport.Received;
import io.tunnelgate.testsupport.ScriptedServer;
import io.tunnelgate.testsupport.SinkServer;
import io.tunnelgate.testsupport.SourceServer;
import io.tunnelgate.testsupport.StubDnsServer;
import io.tunnelgate.testsupport.TestProxy;
import io.tunnelgate.tunnel.PendingConnectPort;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CONNECT tunnels on {@code events { use io_uring; }} end to end: bytes both ways unchanged, 64 MiB
 * each way by SHA-256, the close rules with and without half-close, the idle timer, a refused,
 * a pending and a bind-failing connect with nginx's statuses and lines, names through the
 * configured resolver (DNS over io_uring's datagram channel), a source address and an IPv6 peer
 * on io_uring's (IPv6) client sockets. Skipped only where io_uring is not available.
 */
class IoUringTunnelTest {
    private static final long LARGE = 64L << 20;
    private static final int MIB = 1 << 20;

    @TempDir
    Path dir;

    @BeforeAll
    static void needsIoUring() {
        UringConfig.assumeIoUring();
    }

    @Test
    void echoesBytesUnchangedAndLogsTheTunnel() throws Exception {
        try (EchoServer echo = new EchoServer();
             TestProxy proxy = UringConfig.connect("").start(dir);
             RawClient client = RawClient.connect(proxy.address())) {
            assertThat(proxy.server().config().process().transport()).isEqualTo(Transport.IO_URING);
            String authority = Loopback.hostPort(echo.port());
            assertThat(client.requestTunnel(authority)).isEqualTo(UringConfig.ESTABLISHED);
            byte[] binary = Payload.bytes(256 * 1024, 11);
            client.send(binary);
            assertThat(Arrays.equals(client.readExactly(binary.length), binary)).as("256 KiB echoed").isTrue();

            client.shutdownOutput();
            assertThat(client.awaitEof()).isTrue();
            UringConfig.Fields log = UringConfig.Fields.of(proxy.lastLine("access.log"));
            assertThat(log.get("status")).isEqualTo("200");
            assertThat(log.get("addr")).isEqualTo(authority);
            // io_uring's accepted sockets are IPv6 ones: the client still reads as IPv4
            assertThat(log.get("client")).isEqualTo("127.0.0.1");
            assertThat(log.get("server")).isEqualTo("127.0.0.1");
            assertThat(log.number("sent")).isEqualTo(UringConfig.ESTABLISHED.length() + binary.length);
        }
    }

    @Test
    void uploadsAndDownloadsSixtyFourMebibytesIntact() throws Exception {
        try (SinkServer sink = new SinkServer();
             SourceServer source = new SourceServer(LARGE);
             TestProxy proxy = UringConfig.connect("").start(dir);
             RawClient up = RawClient.connect(proxy.address());
             RawClient down = RawClient.connect(proxy.address())) {
            down.timeout(Duration.ofSeconds(30));
            assertThat(up.requestTunnel(Loopback.hostPort(sink.port()))).isEqualTo(UringConfig.ESTABLISHED);
            assertThat(down.requestTunnel(Loopback.hostPort(source.port()))).isEqualTo(UringConfig.ESTABLISHED);
            CompletableFuture<Void> upload = sendThenFin(up, LARGE, 7);

            assertThat(down.digestToEof()).isEqualTo(new Received(LARGE, source.expectedSha256()));
            assertThat(sink.nextConnection().get(30, SECONDS)).isEqualTo(new Received(LARGE, Payload.sha256(LARGE, 7)));
            upload.get(30, SECONDS);
            assertThat(up.awaitEof()).isTrue();
            await().atMost(10, SECONDS).untilAsserted(() -> assertThat(proxy.lines("access.log")).hasSize(2));
            assertThat(proxy.lines("access.log")).map(l -> UringConfig.Fields.of(l).number("sent"))
                    .containsExactlyInAnyOrder((long) UringConfig.ESTABLISHED.length(),
                            UringConfig.ESTABLISHED.length() + LARGE);
        }
    }

    @Test
    void clientHalfCloseEndsTheTunnelByDefault() throws Exception {
        try (EchoServer echo = new EchoServer();
             TestProxy proxy = UringConfig.connect("").start(dir);
             RawClient client = RawClient.connect(proxy.address())) {
            assertThat(client.requestTunnel(Loopback.hostPort(echo.port()))).isEqualTo(UringConfig.ESTABLISHED);
            CompletableFuture<Void> writer = sendThenFin(client, MIB, 41);
            byte[] received = client.input().readAllBytes();
            writer.get(10, SECONDS);
            // the proxy closes once the last client byte is written upstream: its echo cannot come back
            assertThat(received.length).isLessThan(MIB);
            assertThat(Payload.sha256(received)).isEqualTo(Payload.sha256(received.length, 41));
        }
    }

    @Test
    void halfCloseOnPassesTheFinAndKeepsTheEchoFlowing() throws Exception {
        try (EchoServer echo = new EchoServer();
             TestProxy proxy = UringConfig.connect("proxy_connect_half_close on;").start(dir);
             RawClient client = RawClient.connect(proxy.address())) {
            assertThat(client.requestTunnel(Loopback.hostPort(echo.port()))).isEqualTo(UringConfig.ESTABLISHED);
            CompletableFuture<Void> writer = sendThenFin(client, MIB, 42);
            assertThat(client.digestToEof()).isEqualTo(new Received(MIB, Payload.sha256(MIB, 42)));
            writer.get(10, SECONDS);
            assertThat(UringConfig.Fields.of(proxy.lastLine("access.log")).number("sent"))
                    .isEqualTo(UringConfig.ESTABLISHED.length() + MIB);
        }
    }

    @Test
    void anIdleTunnelIsClosedAfterTheDataTimeout() throws Exception {
        try (EchoServer echo = new EchoServer();
             TestProxy proxy = UringConfig.connect("proxy_connect_data_timeout 300ms;").start(dir);
             RawClient client = RawClient.connect(proxy.address())) {
            assertThat(client.requestTunnel(Loopback.hostPort(echo.port()))).isEqualTo(UringConfig.ESTABLISHED);
            long established = System.nanoTime();
            assertThat(client.awaitEof()).isTrue();
            assertThat(NANOSECONDS.toMillis(System.nanoTime() - established)).isBetween(250L, 3000L);
            assertThat(proxy.lines("error.log")).anyMatch(l -> l.contains("[info]")
                    && l.contains("proxy_connect: connection timed out (110: Connection timed out) while proxying connection"));
            await().atMost(10, SECONDS).until(() -> echo.active() == 0);
        }
    }

    @Test
    void aRefusedConnectIs502WithNginxsLine() throws Exception {
        int closed = Loopback.closedPort();
        try (TestProxy proxy = UringConfig.connect("").start(dir);
             RawClient client = RawClient.connect(proxy.address())) {
            String response = client.requestTunnel(Loopback.hostPort(closed));
            assertThat(response).startsWith("HTTP/1.1 502 Bad Gateway\r\n").contains("\r\nProxy-Status: tunnelgate; "
                    + "error=connection_refused; details=\"upstream connect failed (111: Connection refused)\"\r\n");
            assertThat(new String(client.readToEof(), StandardCharsets.ISO_8859_1)).contains("502 Bad Gateway");
            assertThat(proxy.lines("error.log")).anyMatch(l -> l.contains("[error]") && l.contains(
                    "proxy_connect: upstream connect failed (111: Connection refused) while connecting to upstream"));
            assertThat(UringConfig.Fields.of(proxy.lastLine("access.log")).get("status")).isEqualTo("502");
        }
    }

    @Test
    void aConnectThatNeverCompletesIs504AfterTheConnectTimeout() throws Exception {
        try (PendingConnectPort pending = PendingConnectPort.open();
             TestProxy proxy = UringConfig.connect("proxy_connect_connect_timeout 300ms;").start(dir);
             RawClient client = RawClient.connect(proxy.address())) {
            String peer = Loopback.hostPort(pending.port());
            long start = System.nanoTime();
            String response = client.requestTunnel(peer);
            assertThat(response).startsWith("HTTP/1.1 504 Gateway Time-out\r\n");
            assertThat(NANOSECONDS.toMillis(System.nanoTime() - start)).isBetween(250L, 3000L);
            assertThat(new String(client.readToEof(), StandardCharsets.ISO_8859_1)).contains("504 Gateway Time-out");
            assertThat(proxy.lines("error.log")).anyMatch(l -> l.contains("[error]") && l.contains(
                    "proxy_connect: upstream connect timed out (peer:" + peer + ") while connecting to upstream"));
        }
    }

    @Test
    void aBindThatFailsIs500WithTheCritLine() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, Loopback.IPV4);
             EchoServer echo = new EchoServer();
             TestProxy proxy = UringConfig.connect("proxy_connect_bind 127.0.0.1:" + taken.getLocalPort() + ";")
                     .start(dir);
             RawClient client = RawClient.connect(proxy.address())) {
            assertThat(RawClient.status(client.requestTunnel(Loopback.hostPort(echo.port())))).isEqualTo(500);
            client.readToEof();
            assertThat(proxy.lines("error.log")).anyMatch(l -> l.contains("[crit]")
                    && l.contains("bind(127.0.0.1:" + taken.getLocalPort() + ") failed (98: Address already in use)"));
            assertThat(echo.accepted()).isZero();
        }
    }

    @Test
    void aBoundSourceAddressIsWhatTheOriginSees() throws Exception {
        try (ScriptedServer origin = new ScriptedServer(socket -> socket.getOutputStream().write(
                socket.getInetAddress().getHostAddress().getBytes(StandardCharsets.ISO_8859_1)));
             TestProxy proxy = UringConfig.connect("proxy_connect_bind 127.0.0.2;").start(dir);
             RawClient client = RawClient.connect(proxy.address())) {
            assertThat(client.requestTunnel(Loopback.hostPort(origin.port()))).isEqualTo(UringConfig.ESTABLISHED);
            assertThat(new String(client.readToEof(), StandardCharsets.ISO_8859_1)).isEqualTo("127.0.0.2");
        }
    }

    @Test
    void aNameIsResolvedThroughTheConfiguredResolver() throws Exception {
        try (StubDnsServer dns = StubDnsServer.start();
             EchoServer echo = new EchoServer();
             TestProxy proxy = UringConfig.connect("resolver 127.0.0.1:" + dns.address().getPort() + ";")
                     .start(dir);
             RawClient client = RawClient.connect(proxy.address())) {
            dns.a("origin.test", "127.0.0.1");
            assertThat(client.requestTunnel("origin.test:" + echo.port())).isEqualTo(UringConfig.ESTABLISHED);
            client.send("named");
            assertThat(new String(client.readExactly(5), StandardCharsets.ISO_8859_1)).isEqualTo("named");
            assertThat(dns.queries("origin.test", "A")).isGreaterThanOrEqualTo(1);
            client.shutdownOutput();
            assertThat(client.awaitEof()).isTrue();
            assertThat(UringConfig.Fields.of(proxy.lastLine("access.log")).get("addr"))
                    .isEqualTo("127.0.0.1:" + echo.port());
        }
    }

    @Test
    void aNameTheResolverDoesNotKnowIs502WithNginxsLine() throws Exception {
        try (StubDnsServer dns = StubDnsServer.start();
             TestProxy proxy = UringConfig.connect("resolver 127.0.0.1:" + dns.address().getPort() + ";")
                     .start(dir);
             RawClient client = RawClient.connect(proxy.address())) {
            assertThat(RawClient.status(client.requestTunnel("missing.test:80"))).isEqualTo(502);
            proxy.settleLogs("error.log");
            assertThat(proxy.lines("error.log")).anyMatch(l -> l.contains("[error]")
                    && l.contains("missing.test could not be resolved (3: Host not found)"));
        }
    }

    @Test
    void anIpv6PeerIsReached() throws Exception {
        try (ServerSocket v6 = new ServerSocket(0, 1, InetAddress.getByName("::1"));
             TestProxy proxy = UringConfig.connect("").start(dir);
             RawClient client = RawClient.connect(proxy.address())) {
            CompletableFuture<String> seen = CompletableFuture.supplyAsync(() -> {
                try (var s = v6.accept()) {
                    s.getOutputStream().write("v6".getBytes(StandardCharsets.ISO_8859_1));
                    return s.getInetAddress().getHostAddress();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            assertThat(client.requestTunnel("[::1]:" + v6.getLocalPort())).isEqualTo(UringConfig.ESTABLISHED);
            assertThat(new String(client.readExactly(2), StandardCharsets.ISO_8859_1)).isEqualTo("v6");
            assertThat(seen.get(10, SECONDS)).isEqualTo("0:0:0:0:0:0:0:1");
        }
    }

    /** Sends {@code size} payload bytes and a FIN from another thread, so the caller can read meanwhile. */
    private static CompletableFuture<Void> sendThenFin(RawClient client, long size, long seed) {
        return CompletableFuture.runAsync(() -> {
            try {
                client.sendPayload(size, seed).shutdownOutput();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }
}
