package io.tunnelgate.tunnel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tunnelgate.testsupport.Loopback;
import io.tunnelgate.testsupport.RawClient;
import io.tunnelgate.testsupport.ScriptedServer;
import io.tunnelgate.testsupport.TestProxy;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code proxy_connect_bind} (spec §1.5, §3.6): a fixed local address is the source the origin
 * sees (127.0.0.2, another loopback address of Linux's 127/8), a value with variables is evaluated
 * per request (empty: no bind; not an address: the module's error line and no bind), and a bind
 * that fails makes the CONNECT a 500 with nginx's crit line.
 */
class ConnectBindTest {
    @TempDir
    Path dir;
    /** Tells each connection the address and port it came from, then closes it. */
    private ScriptedServer origin;

    @BeforeEach
    void start() {
        origin = new ScriptedServer(socket -> socket.getOutputStream().write(
                (socket.getInetAddress().getHostAddress() + " " + socket.getPort())
                        .getBytes(StandardCharsets.ISO_8859_1)));
    }

    @AfterEach
    void stop() {
        origin.close();
    }

    @Test
    void aFixedAddressIsTheSourceTheOriginSees() throws Exception {
        try (TestProxy proxy = TunnelConfig.connectServer().with("proxy_connect_bind 127.0.0.2;").start(dir)) {
            assertThat(peerThroughTunnel(proxy, "")).startsWith("127.0.0.2 ");
        }
    }

    @Test
    void aFixedAddressMayNameThePort() throws Exception {
        int port = Loopback.closedPort();
        try (TestProxy proxy = TunnelConfig.connectServer().with("proxy_connect_bind 127.0.0.2:" + port + ";")
                .start(dir)) {
            assertThat(peerThroughTunnel(proxy, "")).isEqualTo("127.0.0.2 " + port);
        }
    }

    @Test
    void aValueWithVariablesIsEvaluatedPerRequest() throws Exception {
        try (TestProxy proxy = TunnelConfig.connectServer().with("proxy_connect_bind $http_x_bind;").start(dir)) {
            assertThat(peerThroughTunnel(proxy, "X-Bind: 127.0.0.3\r\n")).startsWith("127.0.0.3 ");
            assertThat(peerThroughTunnel(proxy, "X-Bind: 127.0.0.2\r\n")).startsWith("127.0.0.2 ");
            // empty: no bind, the kernel's choice
            assertThat(peerThroughTunnel(proxy, "")).startsWith("127.0.0.1 ");
            assertThat(proxy.lines("error.log")).noneMatch(l -> l.contains("invalid local address"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"bogus", "127.0.0.1:0", "127.0.0.1:x", "[::1]", "localhost"})
    void aValueThatIsNoAddressIsLoggedAndNotBound(String value) throws Exception {
        try (TestProxy proxy = TunnelConfig.connectServer().with("proxy_connect_bind $http_x_bind;").start(dir)) {
            assertThat(peerThroughTunnel(proxy, "X-Bind: " + value + "\r\n")).startsWith("127.0.0.1 ");
            assertThat(proxy.lines("error.log")).anyMatch(l -> l.contains("[error]")
                    && l.contains("proxy_connect: invalid local address \"" + value + "\", client: 127.0.0.1"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"epoll", "nio"})
    void aBindThatFailsIs500(String transport) throws Exception {
        // the port is held by a listener, so binding to it fails with EADDRINUSE
        try (ServerSocket taken = new ServerSocket(0, 1, Loopback.IPV4);
             TestProxy proxy = TunnelConfig.connectServer().events("use " + transport + ";")
                     .with("proxy_connect_bind 127.0.0.1:" + taken.getLocalPort() + ";").start(dir);
             RawClient client = RawClient.connect(proxy.address())) {
            String response = client.requestTunnel(Loopback.hostPort(origin.port()));
            assertThat(RawClient.status(response)).isEqualTo(500);
            assertThat(response).contains("\r\nConnection: close\r\n");
            assertThat(client.readToEof()).hasSizeGreaterThan(0);
            assertThat(LogFields.of(proxy.lastLine("access.log")).get("status")).isEqualTo("500");
            assertThat(LogFields.of(proxy.lastLine("access.log")).get("addr"))
                    .isEqualTo(Loopback.hostPort(origin.port()));
            assertThat(proxy.lines("error.log")).anyMatch(l -> l.contains("[crit]")
                    && l.contains("bind(127.0.0.1:" + taken.getLocalPort() + ") failed (98: Address already in use)"));
            assertThat(origin.accepted()).isZero();
        }
    }

    @Test
    void anIpv4BindForAnIpv6PeerIs500() throws Exception {
        // the module's issue 147: a bind of the wrong family fails the connect
        try (ServerSocket v6 = new ServerSocket(0, 1, InetAddress.getByName("::1"));
             TestProxy proxy = TunnelConfig.connectServer().with("proxy_connect_bind 127.0.0.2;").start(dir);
             RawClient client = RawClient.connect(proxy.address())) {
            String response = client.requestTunnel("[::1]:" + v6.getLocalPort());
            assertThat(RawClient.status(response)).isEqualTo(500);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(proxy.lines("error.log"))
                    .anyMatch(l -> l.contains("[crit]")
                            && l.contains("bind(127.0.0.2) failed (22: Invalid argument) while connecting to upstream")));
        }
    }

    /** Opens a tunnel to the origin (with extra request headers) and returns what the origin said. */
    private String peerThroughTunnel(TestProxy proxy, String headers) throws IOException {
        try (RawClient client = RawClient.connect(proxy.address())) {
            String authority = Loopback.hostPort(origin.port());
            client.send("CONNECT " + authority + " HTTP/1.1\r\nHost: " + authority + "\r\n" + headers + "\r\n");
            assertThat(client.readHead()).isEqualTo(TunnelConfig.ESTABLISHED);
            return new String(client.readToEof(), StandardCharsets.ISO_8859_1);
        }
    }
}
