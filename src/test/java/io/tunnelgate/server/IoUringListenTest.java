package io.tunnelgate.server;

import static io.tunnelgate.server.Ask.at;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.netty.channel.IoEventLoopGroup;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.uring.IoUringChannelOption;
import io.netty.channel.uring.IoUringIoHandler;
import io.tunnelgate.http.UnixListenAddress;
import io.tunnelgate.testsupport.EchoServer;
import io.tunnelgate.testsupport.Loopback;
import io.tunnelgate.testsupport.RawClient;
import io.tunnelgate.testsupport.TestProxy;
import java.io.IOException;
import java.net.ConnectException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Listening sockets on {@code use io_uring}: the event loops are io_uring's; io_uring's listening
 * sockets are IPv6 ones, so a specific IPv4 address is bound IPv4-mapped (IPv4 clients only) and
 * {@code 0.0.0.0} dual-stack, whose IPv6 clients go to the port's IPv6 listens or are closed;
 * {@code [::]} alone is IPv6-only; {@code ipv6only=off}; {@code reuseport} (one socket per event
 * loop); {@code so_keepalive=idle:intvl:cnt} as the kernel shows it; {@code listen unix:}.
 */
class IoUringListenTest {
    private static final String EVENTS = "events {\n    use io_uring;\n}\n";

    @TempDir
    Path dir;

    @BeforeAll
    static void needsIoUring() {
        UringConfig.assumeIoUring();
    }

    private static String server(String listen, String name) {
        return "    server {\n        listen " + listen + ";\n        return 200 \"" + name + "\";\n    }\n";
    }

    private static String http(String... servers) {
        return EVENTS + "http {\n    access_log off;\n" + String.join("", servers) + "}\n";
    }

    @Test
    void theEventLoopsAreIoUrings() {
        try (TestProxy proxy = TestProxy.start(dir, http(server("127.0.0.1:${PORT}", "one")))) {
            assertThat(((IoEventLoopGroup) proxy.server().eventLoops()).isIoType(IoUringIoHandler.class)).isTrue();
            assertThat(proxy.server().config().process().transport().label()).isEqualTo("io_uring");
        }
    }

    @Test
    void aSpecificIpv4AddressTakesIpv4ClientsOnly() throws Exception {
        // bound as ::ffff:127.0.0.1 on an IPv6 socket: the kernel gives it IPv4 clients only
        try (TestProxy proxy = TestProxy.start(dir, http(server("127.0.0.1:${PORT}", "one"),
                server("[::1]:${PORT}", "v6")))) {
            assertThat(proxy.server().boundAddresses())
                    .containsExactlyInAnyOrder(at("127.0.0.1", proxy.port()), at("::1", proxy.port()));
            assertThat(Ask.server(at("127.0.0.1", proxy.port()), "x")).isEqualTo("one");
            assertThat(Ask.server(at("::1", proxy.port()), "x")).isEqualTo("v6");
            assertThatThrownBy(() -> RawClient.connect(at("127.0.0.2", proxy.port())))
                    .isInstanceOf(ConnectException.class);
        }
    }

    @Test
    void theIpv4WildcardAloneServesIpv4AndClosesIpv6ClientsUnanswered() throws Exception {
        try (TestProxy proxy = TestProxy.start(dir, http(server("${PORT}", "v4")))) {
            assertThat(proxy.server().boundAddresses()).containsExactly(at("0.0.0.0", proxy.port()));
            assertThat(Ask.server(at("127.0.0.2", proxy.port()), "x")).isEqualTo("v4");
            // io_uring binds 0.0.0.0 dual-stack; no listen covers IPv6 here, so such clients get nothing
            try (RawClient v6 = RawClient.connect(at("::1", proxy.port()))) {
                v6.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
                assertThat(v6.awaitClosed()).isTrue();
            }
        }
    }

    @Test
    void bothWildcardsShareOneSocketAndDispatchByFamily() throws Exception {
        try (TestProxy proxy = TestProxy.start(dir, http(server("[::]:${PORT}", "v6"), server("${PORT}", "v4")))) {
            assertThat(proxy.server().boundAddresses()).containsExactly(at("::", proxy.port()));
            assertThat(Ask.server(at("127.0.0.1", proxy.port()), "x")).isEqualTo("v4");
            assertThat(Ask.server(at("::1", proxy.port()), "x")).isEqualTo("v6");
        }
    }

    @Test
    void theIpv4WildcardTakesTheSpecificIpv6AddressesOfItsPort() throws Exception {
        try (TestProxy proxy = TestProxy.start(dir, http(server("${PORT}", "v4"), server("[::1]:${PORT}", "v6")))) {
            assertThat(proxy.server().boundAddresses()).containsExactly(at("0.0.0.0", proxy.port()));
            assertThat(Ask.server(at("127.0.0.1", proxy.port()), "x")).isEqualTo("v4");
            assertThat(Ask.server(at("::1", proxy.port()), "x")).isEqualTo("v6");
        }
    }

    @Test
    void theIpv6WildcardAloneIsIpv6Only() throws Exception {
        try (TestProxy proxy = TestProxy.start(dir, http(server("[::]:${PORT}", "v6")))) {
            assertThat(Ask.server(at("::1", proxy.port()), "x")).isEqualTo("v6");
            assertThatThrownBy(() -> RawClient.connect(at("127.0.0.1", proxy.port())))
                    .isInstanceOf(ConnectException.class);
        }
    }

    @Test
    void ipv6onlyOffMakesTheIpv6WildcardDualStack() throws Exception {
        try (TestProxy proxy = TestProxy.start(dir, http(server("[::]:${PORT} ipv6only=off", "dual")))) {
            assertThat(Ask.server(at("127.0.0.1", proxy.port()), "x")).isEqualTo("dual");
            assertThat(Ask.server(at("::1", proxy.port()), "x")).isEqualTo("dual");
        }
    }

    @Test
    void reuseportBindsOneSocketPerEventLoopAndServes() throws Exception {
        String config = "worker_processes 2;\n" + http(server("127.0.0.1:${PORT} reuseport", "reuseport"));
        try (TestProxy proxy = TestProxy.start(dir, config)) {
            assertThat(proxy.server().boundAddresses()).hasSize(2).containsOnly(proxy.address());
            for (int i = 0; i < 8; i++) {
                assertThat(Ask.server(proxy.address(), "x")).isEqualTo("reuseport");
            }
        }
    }

    @Test
    void soKeepaliveReachesTheAcceptedSocket() throws Exception {
        // io_uring's keepalive options are its own constants, not epoll's: setting epoll's would be ignored
        assertThat(IoUringChannelOption.TCP_KEEPIDLE).isNotSameAs(EpollChannelOption.TCP_KEEPIDLE);
        String config = EVENTS + "http {\n    access_log off;\n    keepalive_timeout 60s;\n"
                + server("127.0.0.1:${PORT} so_keepalive=30s:10s:3", "tuned") + "}\n";
        try (TestProxy proxy = TestProxy.start(dir, config);
             RawClient client = RawClient.connect(proxy.address())) {
            // a kept-alive request: the accepted connection stays open for ss to see
            assertThat(client.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n").readResponse()).endsWith("tuned");
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(ss(proxy.port()))
                    .anySatisfy(l -> assertThat(l).containsPattern("timer:\\(keepalive,(2\\d|30)sec")));
        }
    }

    @Test
    void tunnelsThroughAUnixSocketAndRemovesItAtStop() throws Exception {
        Path socket = dir.resolve("tg.sock");
        String config = EVENTS + """
                http {
                    log_format unix '$remote_addr|$server_addr|$request|$status';
                    access_log ${DIR}/access.log unix;
                    server {
                        listen unix:%s;
                        proxy_connect;
                        proxy_connect_allow all;
                    }
                }
                """.formatted(socket);
        try (EchoServer echo = new EchoServer()) {
            try (TestProxy proxy = TestProxy.start(dir, config);
                 SocketChannel client = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                assertThat(proxy.server().boundAddresses()).containsExactly(new UnixListenAddress(socket.toString()));
                client.connect(UnixDomainSocketAddress.of(socket));
                String authority = Loopback.hostPort(echo.port());
                write(client, "CONNECT " + authority + " HTTP/1.1\r\nHost: " + authority + "\r\n\r\nping");
                String expected = UringConfig.ESTABLISHED + "ping";
                assertThat(read(client, expected.length())).isEqualTo(expected);
                client.shutdownOutput();
                assertThat(client.read(ByteBuffer.allocate(1))).as("EOF after the tunnel ends").isEqualTo(-1);
                await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(proxy.lastLine("access.log"))
                        .isEqualTo("unix:|unix:" + socket + "|CONNECT " + authority + " HTTP/1.1|200"));
            }
            assertThat(socket).as("removed at stop, as nginx does").doesNotExist();
        }
    }

    @Test
    void anExistingFileAtTheUnixPathIsRefusedAndKept() throws IOException {
        Path socket = Files.writeString(dir.resolve("precious.sock"), "keep me");
        assertThatThrownBy(() -> TestProxy.start(dir, http(server("unix:" + socket, "x"))))
                .hasMessageContaining("bind() to unix:" + socket + " failed (98: Address already in use)");
        assertThat(Files.readString(socket)).isEqualTo("keep me");
    }

    private static void write(SocketChannel c, String text) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(text.getBytes(StandardCharsets.ISO_8859_1));
        while (b.hasRemaining()) {
            c.write(b);
        }
    }

    private static String read(SocketChannel c, int n) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(n);
        while (b.hasRemaining() && c.read(b) >= 0) {
            // keep reading until n bytes or EOF
        }
        return new String(b.array(), 0, b.position(), StandardCharsets.ISO_8859_1);
    }

    /** ss's established entries on local port {@code port}, each with its continuation line joined. */
    private List<String> ss(int port) throws IOException, InterruptedException {
        Path out = dir.resolve("ss.out");
        Process p = new ProcessBuilder("ss", "-tnoH", "state", "established", "sport", "=", ":" + port)
                .redirectErrorStream(true).redirectOutput(out.toFile()).start();
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        List<String> entries = new ArrayList<>();
        for (String line : Files.readAllLines(out, StandardCharsets.UTF_8)) {
            if (line.startsWith("\t") && !entries.isEmpty()) {
                entries.set(entries.size() - 1, entries.get(entries.size() - 1) + " " + line.trim());
            } else if (!line.isBlank()) {
                entries.add(line.trim());
            }
        }
        return entries;
    }
}
