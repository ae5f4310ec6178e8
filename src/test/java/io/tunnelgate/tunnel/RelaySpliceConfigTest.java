package io.tunnelgate.tunnel;

import static io.tunnelgate.tunnel.TunnelConfig.ESTABLISHED;
import static org.assertj.core.api.Assertions.assertThat;

import io.tunnelgate.metrics.RelayStats;
import io.tunnelgate.testsupport.ConfigLoads;
import io.tunnelgate.testsupport.EchoServer;
import io.tunnelgate.testsupport.Loopback;
import io.tunnelgate.testsupport.Payload;
import io.tunnelgate.testsupport.RawClient;
import io.tunnelgate.testsupport.RelayPaths;
import io.tunnelgate.testsupport.TestProxy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code relay_splice on | off | size} (Tunnelgate's): its checks with nginx's messages at the directive's
 * file:line, and the http-to-server merge seen in the path real tunnels take.
 */
class RelaySpliceConfigTest {
    @TempDir
    Path dir;
    @RegisterExtension
    ConfigLoads configs = new ConfigLoads();

    @Test
    void aBadArgumentIsNamedWithItsFileAndLine() {
        assertThat(configs.refusal(ConfigLoads.server("proxy_connect;\nrelay_splice maybe;"), dir, 5))
                .isEqualTo("invalid value \"maybe\" in \"relay_splice\" directive, it must be \"on\", \"off\" or a size");
        assertThat(configs.refusal(ConfigLoads.server("relay_splice;"), dir, 4))
                .isEqualTo("invalid number of arguments in \"relay_splice\" directive");
        assertThat(configs.refusal(ConfigLoads.server("relay_splice on off;"), dir, 4))
                .isEqualTo("invalid number of arguments in \"relay_splice\" directive");
        assertThat(configs.refusal(ConfigLoads.server("relay_splice on;\nrelay_splice off;"), dir, 5))
                .isEqualTo("\"relay_splice\" directive is duplicate");
        assertThat(configs.refusal(ConfigLoads.server("location / {\nrelay_splice off;\n}"), dir, 5))
                .isEqualTo("\"relay_splice\" directive is not allowed here");
        assertThat(configs.refusal("relay_splice off;\n", dir, 1))
                .isEqualTo("\"relay_splice\" directive is not allowed here");
    }

    @Test
    void bothValuesLoadAtHttpAndServerLevel() throws Exception {
        configs.load("http {\n relay_splice off;\n server {\n listen 127.0.0.1:8080;\n relay_splice on;\n }\n"
                + " server {\n listen 127.0.0.1:8081;\n relay_splice 1m;\n }\n}\n", dir);
    }

    @Test
    void aServerInheritsTheHttpLevelValueUnlessItSetsItsOwn() throws Exception {
        try (EchoServer echo = new EchoServer();
             TestProxy proxy = TestProxy.start(dir, """
                     http {
                         relay_splice off;
                         server {
                             listen 127.0.0.1:${PORT};
                             proxy_connect;
                             proxy_connect_allow all;
                         }
                         server {
                             listen 127.0.0.1:${PORT};
                             server_name splice.test;
                             proxy_connect;
                             proxy_connect_allow all;
                             relay_splice 0;
                         }
                     }
                     """)) {
            RelayStats stats = proxy.server().services().relayStats();
            echoThrough(proxy, "127.0.0.1:" + echo.port(), Loopback.hostPort(echo.port()));
            assertThat(stats.bufferedRelays()).as("the default server inherits off").isEqualTo(1);
            assertThat(stats.splicedRelays()).isZero();

            echoThrough(proxy, "splice.test", Loopback.hostPort(echo.port()));
            assertThat(stats.splicedRelays()).as("splice.test sets 0 (splice from the first byte)").isEqualTo(1);
            assertThat(stats.bufferedRelays()).isEqualTo(1);
            assertThat(stats.splicedBytes()).as("ping both ways").isEqualTo(8);
        }
    }

    @Test
    void onSplicesADirectionOnlyAfterItsFirst64KiB() throws Exception {
        try (EchoServer echo = new EchoServer();
             TestProxy proxy = TunnelConfig.connectServer().with("relay_splice on;").start(dir)) {
            Assumptions.assumeTrue(RelayPaths.splices(proxy, "on"), "splice needs epoll");
            RelayStats stats = proxy.server().services().relayStats();
            echoThrough(proxy, "x", Loopback.hostPort(echo.port()));
            assertThat(stats.splicedBytes()).as("a small exchange never takes the pipes").isZero();

            int size = 1024 * 1024;
            try (RawClient client = RawClient.connect(proxy.address())) {
                assertThat(client.requestTunnel(Loopback.hostPort(echo.port()))).isEqualTo(ESTABLISHED);
                CompletableFuture<Void> sent = CompletableFuture.runAsync(() -> {
                    try {
                        client.sendPayload(size, 5);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
                assertThat(Payload.sha256(client.readExactly(size))).isEqualTo(Payload.sha256(size, 5));
                sent.get(10, TimeUnit.SECONDS);
            }
            // each direction moved its first 64 KiB (give or take one read) through buffers, the rest by splice
            assertThat(stats.splicedBytes()).isPositive().isLessThanOrEqualTo(2L * (size - 64 * 1024));
        }
    }

    @Test
    void onNeverSplicesAnInteractiveTunnelHoweverMuchItMoves() throws Exception {
        try (EchoServer echo = new EchoServer();
             TestProxy proxy = TunnelConfig.connectServer().with("relay_splice on;").start(dir)) {
            Assumptions.assumeTrue(RelayPaths.splices(proxy, "on"), "splice needs epoll");
            RelayStats stats = proxy.server().services().relayStats();
            // 2,000 round trips of 100 bytes: 195 KiB each way, three times the threshold, but
            // one small message at a time, which splicing would only make dearer
            byte[] message = Payload.bytes(100, 9);
            try (RawClient client = RawClient.connect(proxy.address())) {
                assertThat(client.requestTunnel(Loopback.hostPort(echo.port()))).isEqualTo(ESTABLISHED);
                for (int i = 0; i < 2000; i++) {
                    client.send(message);
                    assertThat(client.readExactly(message.length)).isEqualTo(message);
                }
            }
            assertThat(stats.splicedBytes()).isZero();
        }
    }

    /** One tunnel to {@code authority} chosen by {@code host}, which echoes four bytes and ends. */
    private static void echoThrough(TestProxy proxy, String host, String authority) throws Exception {
        try (RawClient client = RawClient.connect(proxy.address())) {
            client.send("CONNECT " + authority + " HTTP/1.1\r\nHost: " + host + "\r\n\r\n");
            assertThat(client.readHead()).isEqualTo(ESTABLISHED);
            client.send("ping");
            assertThat(new String(client.readExactly(4), StandardCharsets.ISO_8859_1)).isEqualTo("ping");
            client.shutdownOutput();
            assertThat(client.awaitEof()).isTrue();
        }
    }
}
