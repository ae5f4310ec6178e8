package io.tunnelgate.tunnel;

import static io.tunnelgate.tunnel.TunnelConfig.ESTABLISHED;
import static org.assertj.core.api.Assertions.assertThat;

import io.tunnelgate.metrics.RelayStats;
import io.tunnelgate.testsupport.DescriptorLimit;
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
import org.junit.jupiter.api.io.TempDir;

/**
 * A splice needs a pipe, two more descriptors; a process that has none left when a tunnel's
 * direction starts splicing goes on through buffers instead of closing the tunnel.
 */
class SpliceFallbackTest {
    @TempDir
    Path dir;

    @Test
    void aTunnelWhoseSplicesCannotGetPipesRelaysThroughBuffers() throws Exception {
        RelayStats stats = echoWithFreeDescriptors(1);
        // one free descriptor is not enough for either direction's pipe
        assertThat(stats.spliceFallbacks()).as("both directions fell back").isEqualTo(2);
        assertThat(stats.splicedBytes()).isZero();
    }

    @Test
    void aDirectionThatGetsNoPipeRelaysThroughBuffersWhileTheOtherSplices() throws Exception {
        RelayStats stats = echoWithFreeDescriptors(2);
        // the client's bytes come first and take the one pipe there is room for; the echo has none
        assertThat(stats.spliceFallbacks()).as("the upstream's direction fell back").isEqualTo(1);
        assertThat(stats.splicedBytes()).as("the payload and the ping after it, client to upstream").isEqualTo(SIZE + 4L);
    }

    private static final int SIZE = 512 * 1024;

    /**
     * One tunnel to an echo server that splices both ways from the first byte; with only {@code free}
     * more descriptors allowed, 512 KiB go through and come back intact, and afterwards the tunnel
     * still echoes.
     */
    private RelayStats echoWithFreeDescriptors(int free) throws Exception {
        try (EchoServer echo = new EchoServer();
             TestProxy proxy = TunnelConfig.connectServer().with("relay_splice 0;").start(dir);
             RawClient client = RawClient.connect(proxy.address())) {
            Assumptions.assumeTrue(RelayPaths.splices(proxy, "on"), "splice needs epoll");
            RelayStats stats = proxy.server().services().relayStats();
            assertThat(client.requestTunnel(Loopback.hostPort(echo.port()))).isEqualTo(ESTABLISHED);
            byte[] echoed;
            try (DescriptorLimit limit = new DescriptorLimit()) {
                limit.leaveFree(free);
                CompletableFuture<Void> sent = CompletableFuture.runAsync(() -> {
                    try {
                        client.sendPayload(SIZE, 21);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
                echoed = client.readExactly(SIZE);
                sent.get(10, TimeUnit.SECONDS);
            }
            assertThat(Payload.sha256(echoed)).isEqualTo(Payload.sha256(SIZE, 21));
            client.send("ping");
            assertThat(new String(client.readExactly(4), StandardCharsets.US_ASCII)).isEqualTo("ping");
            return stats;
        }
    }
}
