package io.tunnelgate.tunnel;

import static io.tunnelgate.tunnel.TunnelConfig.ESTABLISHED;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import io.tunnelgate.testsupport.Loopback;
import io.tunnelgate.testsupport.Payload;
import io.tunnelgate.testsupport.RawClient;
import io.tunnelgate.testsupport.Received;
import io.tunnelgate.testsupport.RelayPaths;
import io.tunnelgate.testsupport.SinkServer;
import io.tunnelgate.testsupport.SourceServer;
import io.tunnelgate.testsupport.TestProxy;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * 100 MiB each way through one tunnel, on both transports, compared by SHA-256 at both ends, and the access log's byte count of a
 * download: the 200 line plus every relayed byte (spec §3.10).
 */
@ParameterizedClass(name = "relay_splice {0}")
@ValueSource(strings = {"on", "off"})
class LargeTransferTest {
    /** {@code relay_splice}: every test runs on the splice path and on the buffered one. */
    @Parameter
    String splice;

    private static final long SIZE = 100L << 20;
    private static final Duration TRANSFER_TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"epoll", "nio"})
    void uploadsOneHundredMebibytesIntact(String transport) throws Exception {
        RelayPaths.skipNioTwice(transport, splice);
        try (SinkServer sink = new SinkServer();
             TestProxy proxy = TunnelConfig.connectServer().relaySplice(splice).events("use " + transport + ";").start(dir);
             RawClient client = RawClient.connect(proxy.address())) {
            assertThat(client.requestTunnel(Loopback.hostPort(sink.port()))).isEqualTo(ESTABLISHED);
            client.sendPayload(SIZE, 7).shutdownOutput();

            assertThat(sink.nextConnection().get(TRANSFER_TIMEOUT.toSeconds(), SECONDS))
                    .isEqualTo(new Received(SIZE, Payload.sha256(SIZE, 7)));
            assertThat(client.awaitEof()).isTrue();
            LogFields log = LogFields.of(proxy.lastLine("access.log"));
            assertThat(log.get("status")).isEqualTo("200");
            assertThat(log.number("sent")).isEqualTo(ESTABLISHED.length());
            RelayPaths.assertPath(proxy, splice);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"epoll", "nio"})
    void downloadsOneHundredMebibytesIntactAndLogsEveryByteSent(String transport) throws Exception {
        RelayPaths.skipNioTwice(transport, splice);
        try (SourceServer source = new SourceServer(SIZE);
             TestProxy proxy = TunnelConfig.connectServer().relaySplice(splice).events("use " + transport + ";").start(dir);
             RawClient client = RawClient.connect(proxy.address())) {
            client.timeout(TRANSFER_TIMEOUT);
            assertThat(client.requestTunnel(Loopback.hostPort(source.port()))).isEqualTo(ESTABLISHED);

            assertThat(client.digestToEof()).isEqualTo(new Received(SIZE, source.expectedSha256()));
            LogFields log = LogFields.of(proxy.lastLine("access.log"));
            assertThat(log.get("status")).isEqualTo("200");
            assertThat(log.number("sent")).isEqualTo(ESTABLISHED.length() + SIZE);
            assertThat(log.number("body")).isEqualTo(ESTABLISHED.length() + SIZE);
            RelayPaths.assertPath(proxy, splice);
        }
    }
}
