package io.tunnelgate.tunnel;

import static io.tunnelgate.tunnel.TunnelConfig.ESTABLISHED;
import static java.util.concurrent.TimeUnit.MILLISECONDS;
import static java.util.concurrent.TimeUnit.NANOSECONDS;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tunnelgate.testsupport.EchoServer;
import io.tunnelgate.testsupport.Loopback;
import io.tunnelgate.testsupport.RawClient;
import io.tunnelgate.testsupport.RelayPaths;
import io.tunnelgate.testsupport.ScriptedServer;
import io.tunnelgate.testsupport.TestProxy;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code proxy_connect_data_timeout} (spec §1.3, §3.8): one idle timer for both directions closes a tunnel
 * that carries nothing, with nginx's info line, and traffic in either direction alone keeps it open.
 */
@ParameterizedClass(name = "relay_splice {0}")
@ValueSource(strings = {"on", "off"})
class IdleTimeoutTest {
    /** {@code relay_splice}: every test runs on the splice path and on the buffered one. */
    @Parameter
    String splice;

    private static final String TIMED_OUT =
            "proxy_connect: connection timed out (110: Connection timed out) while proxying connection";
    /** One byte every {@link #TICK_MILLIS}, for well over three idle periods. */
    private static final int TICKS = 12;
    private static final long TICK_MILLIS = 100;

    @TempDir
    Path dir;
    private ScheduledExecutorService timer;

    @BeforeEach
    void startTimer() {
        timer = Executors.newSingleThreadScheduledExecutor();
    }

    @AfterEach
    void stopTimer() {
        timer.shutdownNow();
    }

    @Test
    void anIdleTunnelIsClosedAfterTheDataTimeout() throws Exception {
        try (EchoServer echo = new EchoServer();
             TestProxy proxy = TunnelConfig.connectServer().relaySplice(splice).with("proxy_connect_data_timeout 300ms;").start(dir);
             RawClient client = RawClient.connect(proxy.address())) {
            assertThat(client.requestTunnel(Loopback.hostPort(echo.port()))).isEqualTo(ESTABLISHED);
            long established = System.nanoTime();

            assertThat(client.awaitEof()).isTrue();
            long idleMillis = NANOSECONDS.toMillis(System.nanoTime() - established);
            assertThat(idleMillis).isBetween(250L, 3000L);
            assertThat(proxy.lines("error.log")).anyMatch(l -> l.contains("[info]") && l.contains(TIMED_OUT));
            assertThat(LogFields.of(proxy.lastLine("access.log")).get("status")).isEqualTo("200");
            await().atMost(10, SECONDS).until(() -> echo.active() == 0);
            RelayPaths.assertChosen(proxy, splice);
        }
    }

    @Test
    void bytesFromTheUpstreamAloneKeepTheTunnelOpen() throws Exception {
        CompletableFuture<Socket> upstreamSocket = new CompletableFuture<>();
        try (ScriptedServer upstream = new ScriptedServer(socket -> {
                upstreamSocket.complete(socket);
                ScriptedServer.holdUntilClosed();
            });
             TestProxy proxy = TunnelConfig.connectServer().relaySplice(splice).with("proxy_connect_data_timeout 300ms;").start(dir);
             RawClient client = RawClient.connect(proxy.address())) {
            assertThat(client.requestTunnel(Loopback.hostPort(upstream.port()))).isEqualTo(ESTABLISHED);
            OutputStream toClient = upstreamSocket.get(10, SECONDS).getOutputStream();

            Future<?> last = tick(toClient);
            assertThat(client.readExactly(TICKS)).hasSize(TICKS);
            last.get(10, SECONDS);
            toClient.write("end".getBytes(StandardCharsets.ISO_8859_1));
            assertThat(new String(client.readExactly(3), StandardCharsets.ISO_8859_1)).isEqualTo("end");
            assertStillOpen(proxy);
            RelayPaths.assertPath(proxy, splice);
        }
    }

    @Test
    void bytesFromTheClientAloneKeepTheTunnelOpen() throws Exception {
        CompletableFuture<byte[]> upstreamRead = new CompletableFuture<>();
        try (ScriptedServer upstream = new ScriptedServer(socket -> {
                upstreamRead.complete(socket.getInputStream().readNBytes(TICKS));
                socket.getOutputStream().write("end".getBytes(StandardCharsets.ISO_8859_1));
                ScriptedServer.holdUntilClosed();
            });
             TestProxy proxy = TunnelConfig.connectServer().relaySplice(splice).with("proxy_connect_data_timeout 300ms;").start(dir);
             RawClient client = RawClient.connect(proxy.address())) {
            assertThat(client.requestTunnel(Loopback.hostPort(upstream.port()))).isEqualTo(ESTABLISHED);

            Future<?> last = tick(client.output());
            assertThat(upstreamRead.get(10, SECONDS)).hasSize(TICKS);
            last.get(10, SECONDS);
            assertThat(new String(client.readExactly(3), StandardCharsets.ISO_8859_1)).isEqualTo("end");
            assertStillOpen(proxy);
            RelayPaths.assertPath(proxy, splice);
        }
    }

    /**
     * Sends one byte every {@link #TICK_MILLIS} from the timer thread and returns the last send. The spacing is
     * what the test is about (each gap is shorter than the idle timeout, their sum far longer), so it comes from
     * a scheduler; the test itself waits only for the bytes to arrive.
     */
    private Future<?> tick(OutputStream out) {
        List<Future<?>> sends = new ArrayList<>();
        for (int i = 0; i < TICKS; i++) {
            int b = 'a' + i;
            sends.add(timer.schedule(() -> {
                out.write(b);
                return null;
            }, i * TICK_MILLIS, MILLISECONDS));
        }
        return sends.get(TICKS - 1);
    }

    /** No timeout happened: no info line, and no access-log line since the tunnel has not ended. */
    private static void assertStillOpen(TestProxy proxy) {
        assertThat(proxy.lines("error.log")).noneMatch(l -> l.contains(TIMED_OUT));
        assertThat(proxy.lines("access.log")).isEmpty();
    }
}
