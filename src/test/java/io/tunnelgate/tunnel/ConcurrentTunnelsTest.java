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
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Many tunnels at once, each carrying only its own bytes, and tunnels that keep working while other clients
 * send garbage, reset an established tunnel, or reset while their name is being resolved.
 */
@ParameterizedClass(name = "relay_splice {0}")
@ValueSource(strings = {"on", "off"})
class ConcurrentTunnelsTest {
    /** {@code relay_splice}: every test runs on the splice path and on the buffered one. */
    @Parameter
    String splice;

    private static final int THREADS = 8;
    private static final int TUNNELS_PER_THREAD = 25;
    private static final int TUNNELS = THREADS * TUNNELS_PER_THREAD;
    private static final int ECHO_BYTES = 4096;

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"epoll", "nio"})
    void twoHundredTunnelsOpenAtOnceEachEchoTheirOwnBytes(String transport) throws Exception {
        RelayPaths.skipNioTwice(transport, splice);
        ExecutorService threads = Executors.newFixedThreadPool(THREADS);
        try (EchoServer echo = new EchoServer();
             TestProxy proxy = TunnelConfig.connectServer().relaySplice(splice)
                     .events("use " + transport + "; worker_connections 2048;").start(dir)) {
            CyclicBarrier allOpen = new CyclicBarrier(THREADS);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                done.add(threads.submit(() -> {
                    runTunnels(proxy, echo, thread, allOpen);
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(60, SECONDS);
            }

            assertThat(echo.accepted()).isEqualTo(TUNNELS);
            await().atMost(10, SECONDS).until(() -> proxy.lines("access.log").size() == TUNNELS);
            assertThat(proxy.lines("access.log")).allSatisfy(line -> {
                LogFields log = LogFields.of(line);
                assertThat(log.get("status")).isEqualTo("200");
                assertThat(log.number("sent")).isEqualTo(ESTABLISHED.length() + ECHO_BYTES);
            });
            RelayPaths.assertPath(proxy, splice);
        } finally {
            threads.shutdownNow();
        }
    }

    /** One thread's tunnels: all opened, then (once every thread's are open) each echoes its own bytes. */
    private static void runTunnels(TestProxy proxy, EchoServer echo, int thread, CyclicBarrier allOpen)
            throws Exception {
        List<RawClient> clients = new ArrayList<>();
        try {
            for (int i = 0; i < TUNNELS_PER_THREAD; i++) {
                RawClient client = RawClient.connect(proxy.address());
                clients.add(client);
                assertThat(client.requestTunnel(Loopback.hostPort(echo.port()))).isEqualTo(ESTABLISHED);
            }
            allOpen.await(30, SECONDS);
            for (int i = 0; i < clients.size(); i++) {
                byte[] mine = Payload.bytes(ECHO_BYTES, thread * 1000L + i);
                RawClient client = clients.get(i);
                client.send(mine);
                assertThat(Arrays.equals(client.readExactly(ECHO_BYTES), mine)).as("tunnel %d/%d", thread, i).isTrue();
            }
            for (RawClient client : clients) {
                client.shutdownOutput();
                assertThat(client.awaitEof()).isTrue();
            }
        } finally {
            for (RawClient client : clients) {
                client.close();
            }
        }
    }

    @Test
    void tunnelsKeepWorkingWhileOtherClientsMisbehave() throws Exception {
        try (StubDnsServer dns = StubDnsServer.start();
             EchoServer echo = new EchoServer();
             TestProxy proxy = TunnelConfig.connectServer().relaySplice(splice).resolver(dns).start(dir);
             RawClient steady = RawClient.connect(proxy.address())) {
            assertThat(steady.requestTunnel(Loopback.hostPort(echo.port()))).isEqualTo(ESTABLISHED);
            assertEchoes(steady, "before");

            // binary garbage where a request should be: answered and closed, nothing else affected
            try (RawClient garbage = RawClient.connect(proxy.address())) {
                garbage.send(new byte[] {0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, (byte) 0xfc, 0x03, 0x03});
                garbage.send("\r\n\r\n");
                assertThat(new String(garbage.readToEof(), StandardCharsets.ISO_8859_1)).startsWith("HTTP/1.1 400 ");
            }

            // HTTP inside a tunnel is just bytes: relayed verbatim, never interpreted
            assertEchoes(steady, "CONNECT 127.0.0.1:1 HTTP/1.1\r\nHost: x\r\n\r\nGET / HTTP/1.0\r\n\r\n");

            // a reset in the middle of an established tunnel closes its upstream too
            RawClient resetting = RawClient.connect(proxy.address());
            assertThat(resetting.requestTunnel(Loopback.hostPort(echo.port()))).isEqualTo(ESTABLISHED);
            assertEchoes(resetting, "x");
            assertThat(echo.active()).isEqualTo(2);
            resetting.reset();
            await().atMost(10, SECONDS).until(() -> echo.active() == 1);

            // a reset while the name is being resolved
            CompletableFuture<Void> release = dns.hold("held.test");
            dns.a("held.test", "127.0.0.1");
            RawClient waiting = RawClient.connect(proxy.address());
            waiting.send(connectHead("held.test:" + echo.port()));
            await().atMost(10, SECONDS).until(() -> dns.queries("held.test", "A") >= 1);
            waiting.reset();
            await().atMost(10, SECONDS).untilAsserted(() ->
                    assertThat(proxy.lastLine("access.log")).startsWith("status:499 "));
            release.complete(null);

            assertEchoes(steady, "after");
            try (RawClient fresh = RawClient.connect(proxy.address())) {
                assertThat(fresh.requestTunnel("held.test:" + echo.port())).isEqualTo(ESTABLISHED);
                assertEchoes(fresh, "fresh");
            }
            RelayPaths.assertPath(proxy, splice);
        }
    }

    private static void assertEchoes(RawClient client, String text) throws Exception {
        client.send(text);
        assertThat(new String(client.readExactly(text.length()), StandardCharsets.ISO_8859_1)).isEqualTo(text);
    }
}
