package io.tunnelgate.forward;

import static java.util.concurrent.TimeUnit.MILLISECONDS;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import io.tunnelgate.testsupport.HttpWire;
import io.tunnelgate.testsupport.Payload;
import io.tunnelgate.testsupport.RawClient;
import io.tunnelgate.testsupport.RelayPaths;
import io.tunnelgate.testsupport.ScriptedServer;
import io.tunnelgate.testsupport.TestProxy;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A {@code 101 Switching Protocols} turns the two connections into the tunnels' relay, on the splice
 * path and on the buffered one ({@code relay_splice} of the server): the bytes behind both heads come
 * first, then frames both ways unchanged, the access log counts every byte sent to the client, and
 * {@code proxy_read_timeout} is the idle timeout of the upgraded connection.
 */
@ParameterizedClass(name = "relay_splice {0}")
@ValueSource(strings = {"on", "off"})
class UpgradeRelayTest {
    /** The server's {@code relay_splice}. */
    @Parameter
    String splice;

    @TempDir
    Path dir;

    private TestProxy start(String readTimeout) {
        return TestProxy.start(dir, """
                http {
                    log_format bytes 'status:$status sent:$bytes_sent';
                    access_log ${DIR}/access.log bytes;
                    error_log ${DIR}/error.log info;
                    server {
                        listen 127.0.0.1:${PORT};
                        %s
                        proxy_read_timeout %s;
                        location / {
                            proxy_pass http://$host;
                            proxy_set_header Upgrade $http_upgrade;
                            proxy_set_header Connection upgrade;
                        }
                    }
                }
                """.formatted(RelayPaths.directive(splice), readTimeout));
    }

    /** An origin that answers 101 with {@code "hi"} behind the head, then echoes until the client's EOF. */
    private static ScriptedServer webSocketEcho() {
        return new ScriptedServer(s -> {
            String head = HttpWire.readHead(s.getInputStream());
            boolean asked = head.contains("\r\nUpgrade: websocket\r\n") && head.contains("\r\nConnection: upgrade\r\n");
            OutputStream out = s.getOutputStream();
            out.write(("HTTP/1.1 " + (asked ? "101 Switching Protocols" : "400 Bad Request")
                    + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: x\r\n\r\nhi")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            s.getInputStream().transferTo(out);
        });
    }

    private static String upgradeRequest(int port) {
        return "GET http://127.0.0.1:" + port + "/ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Key: k\r\nSec-WebSocket-Version: 13\r\n\r\n";
    }

    @Test
    void aWebSocketUpgradeBecomesARelayThatCountsEveryByte() throws Exception {
        try (ScriptedServer ws = webSocketEcho(); TestProxy proxy = start("5s");
             RawClient c = RawClient.connect(proxy.address())) {
            c.send(upgradeRequest(ws.port()));
            String head = c.readHead();
            assertThat(head).startsWith("HTTP/1.1 101 Switching Protocols\r\n").contains("\r\nUpgrade: websocket\r\n");
            assertThat(new String(c.readExactly(2), StandardCharsets.US_ASCII)).isEqualTo("hi");
            byte[] frame = Payload.bytes(100_000, 7);
            c.send(frame);
            assertThat(c.readExactly(frame.length)).isEqualTo(frame);
            byte[] big = Payload.bytes(4 << 20, 8);
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> send(c, big));
            assertThat(Payload.sha256(c.readExactly(big.length))).isEqualTo(Payload.sha256(big));
            writer.get(10, SECONDS);

            c.shutdownOutput();
            assertThat(c.awaitEof()).isTrue();
            assertThat(proxy.lastLine("access.log"))
                    .isEqualTo("status:101 sent:" + (head.length() + 2 + frame.length + big.length));
            RelayPaths.assertPath(proxy, splice);
        }
    }

    @Test
    void aTrickleShorterThanTheReadTimeoutKeepsTheUpgradedConnection() throws Exception {
        CompletableFuture<Socket> origin = new CompletableFuture<>();
        try (ScriptedServer ws = new ScriptedServer(s -> {
                HttpWire.readHead(s.getInputStream());
                s.getOutputStream().write("HTTP/1.1 101 Switching Protocols\r\nUpgrade: x\r\nConnection: Upgrade\r\n\r\n"
                        .getBytes(StandardCharsets.US_ASCII));
                origin.complete(s);
                ScriptedServer.holdUntilClosed();
            });
             TestProxy proxy = start("300ms");
             RawClient c = RawClient.connect(proxy.address())) {
            c.send(upgradeRequest(ws.port()));
            assertThat(c.readHead()).startsWith("HTTP/1.1 101 ");
            OutputStream toClient = origin.get(10, SECONDS).getOutputStream();

            // one byte every 100 ms from a scheduler (the spacing is the point): 0.8 s, over two read timeouts
            ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
            try {
                for (int i = 0; i < 8; i++) {
                    int b = 'a' + i;
                    timer.schedule(() -> {
                        toClient.write(b);
                        return null;
                    }, i * 100L, MILLISECONDS);
                }
                assertThat(new String(c.readExactly(8), StandardCharsets.US_ASCII)).isEqualTo("abcdefgh");
            } finally {
                timer.shutdownNow();
            }
            assertThat(proxy.lines("error.log")).noneMatch(l -> l.contains("timed out"));
            assertThat(proxy.lines("access.log")).as("still open: not logged").isEmpty();
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
}
