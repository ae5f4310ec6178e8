package io.tunnelgate.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.tunnelgate.http.UnixListenAddress;
import io.tunnelgate.testsupport.EchoServer;
import io.tunnelgate.testsupport.Loopback;
import io.tunnelgate.testsupport.TestProxy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code listen unix:/path}: tunnels through a Unix domain socket on both transports, the
 * variables nginx gives such connections ({@code $remote_addr} {@code unix:}, {@code $server_addr}
 * {@code unix:/path}), the socket file removed at stop, and a stale file refused at start as nginx
 * refuses it.
 */
class UnixListenTest {
    @TempDir
    Path dir;

    private String config(String transport, Path socket) {
        return """
                events { use %s; }
                http {
                    log_format unix '$remote_addr|$server_addr|$server_port|$request|$status';
                    access_log ${DIR}/access.log unix;
                    server {
                        listen unix:%s;
                        listen 127.0.0.1:${PORT};
                        proxy_connect;
                        proxy_connect_allow all;
                    }
                }
                """.formatted(transport, socket);
    }

    @ParameterizedTest
    @ValueSource(strings = {"epoll", "nio"})
    void tunnelsThroughAUnixSocket(String transport) throws Exception {
        Path socket = dir.resolve("tg.sock");
        try (EchoServer echo = new EchoServer()) {
            try (TestProxy proxy = TestProxy.start(dir, config(transport, socket));
                 SocketChannel client = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                assertThat(proxy.server().boundAddresses()).contains(new UnixListenAddress(socket.toString()));
                client.connect(UnixDomainSocketAddress.of(socket));
                String authority = Loopback.hostPort(echo.port());
                write(client, "CONNECT " + authority + " HTTP/1.1\r\nHost: " + authority + "\r\n\r\nping");
                String expected = "HTTP/1.1 200 Connection Established\r\nProxy-agent: nginx\r\n\r\nping";
                assertThat(read(client, expected.length())).isEqualTo(expected);
                client.shutdownOutput();
                assertThat(client.read(ByteBuffer.allocate(1))).as("EOF after the tunnel ends").isEqualTo(-1);
                // NIO's domain channels close on the client's FIN (Netty ignores half-closure for
                // them), which can reach the client before the log line is written: wait for it there
                await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(proxy.lastLine("access.log"))
                        .isEqualTo("unix:|unix:" + socket + "||CONNECT " + authority + " HTTP/1.1|200"));
            }
            assertThat(socket).as("removed at stop, as nginx does").doesNotExist();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"epoll", "nio"})
    void anExistingFileAtThePathIsRefusedAndKept(String transport) throws IOException {
        Path socket = Files.writeString(dir.resolve("precious.sock"), "keep me");
        assertThatThrownBy(() -> TestProxy.start(dir, config(transport, socket)))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("bind() to unix:" + socket + " failed (98: Address already in use)");
        assertThat(socket).hasContent("keep me");
    }

    private static void write(SocketChannel ch, String text) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(text.getBytes(StandardCharsets.ISO_8859_1));
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }

    private static String read(SocketChannel ch, int n) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(n);
        while (b.hasRemaining() && ch.read(b) >= 0) {
            // blocking channel: each read waits for data
        }
        return new String(b.array(), 0, b.position(), StandardCharsets.ISO_8859_1);
    }
}
