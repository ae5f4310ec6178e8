package io.tunnelgate.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.tunnelgate.testsupport.ConfigLoads;
import io.tunnelgate.testsupport.Loopback;
import io.tunnelgate.testsupport.RelayPaths;
import io.tunnelgate.testsupport.TestProxy;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code tcp_notsent_lowat off | size} (Tunnelgate's, events): its values and errors at the
 * directive's file:line, the warning on NIO, and what it is for: a tunnel whose reader has stopped
 * holds less in the proxy's kernel buffers, in both directions and on both relay paths.
 */
class NotsentLowatTest {
    @TempDir
    Path dir;
    @RegisterExtension
    ConfigLoads configs = new ConfigLoads();

    @Test
    void aSizeOrOffLoadsAndItIsOffByDefault() throws Exception {
        Assumptions.assumeTrue(Transport.EPOLL.isAvailable(), "epoll");
        assertThat(configs.load(ConfigLoads.events("tcp_notsent_lowat 256k;"), dir).process().notsentLowat())
                .isEqualTo(262144);
        assertThat(configs.load(ConfigLoads.events("tcp_notsent_lowat 1000;"), dir).process().notsentLowat())
                .isEqualTo(1000);
        assertThat(configs.load(ConfigLoads.events("tcp_notsent_lowat off;"), dir).process().notsentLowat()).isZero();
        assertThat(configs.load(ConfigLoads.events("worker_connections 64;"), dir).process().notsentLowat())
                .as("off unless written").isZero();
    }

    @Test
    void ioUringSetsItOnlyWhenWritten() throws Exception {
        Assumptions.assumeTrue(Transport.IO_URING.isAvailable(), "io_uring");
        var written = configs.load(ConfigLoads.events("use io_uring;\ntcp_notsent_lowat 16k;"), dir);
        assertThat(written.process().notsentLowat()).isEqualTo(16384);
        assertThat(configs.load(ConfigLoads.events("use io_uring;"), dir).process().notsentLowat())
                .as("off unless written").isZero();
    }

    @Test
    void aBadValueIsNamedWithItsFileAndLine() {
        assertThat(configs.refusal(ConfigLoads.events("tcp_notsent_lowat 0;"), dir, 2))
                .isEqualTo("invalid value \"0\" in \"tcp_notsent_lowat\" directive");
        assertThat(configs.refusal(ConfigLoads.events("tcp_notsent_lowat lots;"), dir, 2))
                .isEqualTo("\"tcp_notsent_lowat\" directive invalid value");
        assertThat(configs.refusal(ConfigLoads.events("tcp_notsent_lowat 4g;"), dir, 2))
                .isEqualTo("\"tcp_notsent_lowat\" directive invalid value");
        assertThat(configs.refusal("events {}\nhttp {\n tcp_notsent_lowat 16k;\n}\n", dir, 3))
                .isEqualTo("\"tcp_notsent_lowat\" directive is not allowed here");
    }

    @Test
    void nioIgnoresItWithAWarningOnlyWhenItIsWritten() throws Exception {
        var config = configs.load(ConfigLoads.events("use nio;\ntcp_notsent_lowat 16k;"), dir);
        assertThat(config.process().notsentLowat()).isZero();
        assertThat(config.warnings()).containsExactly("\"tcp_notsent_lowat\" is ignored: the nio transport cannot set "
                + "TCP_NOTSENT_LOWAT in " + dir.resolve("t.conf") + ":3");
        var byDefault = configs.load(ConfigLoads.events("use nio;"), dir);
        assertThat(byDefault.process().notsentLowat()).isZero();
        assertThat(byDefault.warnings()).isEmpty();
    }

    /**
     * One side of a tunnel writes and the other never reads. With the option off, the proxy's socket
     * towards the reader queues unsent data up to its whole autotuned send buffer (net.ipv4.tcp_wmem's
     * maximum, 4 MiB by default); with 64k it stops there, and the writer is held back that much
     * sooner.
     */
    @ParameterizedTest(name = "relay_splice {0}, {1}")
    @CsvSource({"on, down", "on, up", "off, down", "off, up"})
    void aStoppedReaderHoldsLessInTheProxy(String relaySplice, String direction) throws Exception {
        Assumptions.assumeTrue(Transport.EPOLL.isAvailable(), "epoll");
        String wmem = Files.readAllLines(Path.of("/proc/sys/net/ipv4/tcp_wmem")).get(0).trim();
        long wmemMax = Long.parseLong(wmem.split("\\s+")[2]);
        Assumptions.assumeTrue(wmemMax >= 2 << 20, "a send buffer that autotunes to at least 2 MiB");
        boolean down = direction.equals("down");
        long off = heldBeforeTheWriterStalls("tcp_notsent_lowat off;", relaySplice, down);
        long lowat = heldBeforeTheWriterStalls("tcp_notsent_lowat 64k;", relaySplice, down);
        assertThat(lowat).as("bytes written before stalling, 64k against off (%d)", off)
                .isLessThan(off - (1 << 20));
    }

    private long heldBeforeTheWriterStalls(String events, String relaySplice, boolean down) throws IOException {
        try (ServerSocketChannel origin = ServerSocketChannel.open().bind(Loopback.address(0));
             TestProxy proxy = TestProxy.start(dir, """
                     worker_processes 1;
                     events { %s }
                     http {
                         access_log off;
                         server {
                             listen 127.0.0.1:${PORT};
                             proxy_connect;
                             proxy_connect_allow all;
                             %s
                         }
                     }
                     """.formatted(events, RelayPaths.directive(relaySplice)));
             SocketChannel client = SocketChannel.open(proxy.address())) {
            int port = ((java.net.InetSocketAddress) origin.getLocalAddress()).getPort();
            String target = Loopback.hostPort(port);
            client.write(StandardCharsets.ISO_8859_1.encode(
                    "CONNECT " + target + " HTTP/1.1\r\nHost: " + target + "\r\n\r\n"));
            assertThat(readHead(client)).startsWith("HTTP/1.1 200");
            try (SocketChannel server = origin.accept()) {
                long held = writeUntilStalled(down ? server : client);
                RelayPaths.assertPath(proxy, relaySplice);
                return held;
            }
        }
    }

    private static String readHead(SocketChannel ch) throws IOException {
        ByteBuffer one = ByteBuffer.allocate(1);
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            one.clear();
            if (ch.read(one) < 0) {
                break;
            }
            head.append((char) one.get(0));
        }
        return head.toString();
    }

    /**
     * Writes until nothing more is taken. The reader never reads, so the writes stop once every
     * buffer on the way is full; that can only be seen as no room appearing for a while, and 300 ms
     * is many times what moving the last chunk through the proxy takes.
     */
    private static long writeUntilStalled(SocketChannel ch) throws IOException {
        ch.configureBlocking(false);
        ByteBuffer chunk = ByteBuffer.allocate(64 * 1024);
        long total = 0;
        try (Selector selector = Selector.open()) {
            ch.register(selector, SelectionKey.OP_WRITE);
            while (selector.select(300) > 0) {
                selector.selectedKeys().clear();
                chunk.clear();
                total += ch.write(chunk);
            }
        }
        return total;
    }
}
