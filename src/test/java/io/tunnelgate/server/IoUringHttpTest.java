package io.tunnelgate.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tunnelgate.testsupport.HttpOrigin;
import io.tunnelgate.testsupport.OriginResponse;
import io.tunnelgate.testsupport.Payload;
import io.tunnelgate.testsupport.RawClient;
import io.tunnelgate.testsupport.Received;
import io.tunnelgate.testsupport.TestProxy;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Plain HTTP on {@code use io_uring}: proxy_pass with keep-alive on both sides (one client connection, one
 * upstream connection for every request), a request body out and an 8 MiB response back intact, and a static
 * file, whose body goes out as a file region (io_uring's splice), whole. Skipped only where io_uring is not
 * available.
 */
class IoUringHttpTest {
    private static final int BIG = 8 << 20;
    private static final String CONFIG = """
            error_log ${DIR}/error.log info;
            events { use io_uring; }
            http {
                log_format up '$request $status $upstream_addr $body_bytes_sent';
                access_log ${DIR}/access.log up;
                server {
                    listen 127.0.0.1:${PORT};
                    location / {
                        proxy_pass http://$host;
                        proxy_set_header Host $host;
                    }
                    location /files/ {
                        root ${DIR}/html;
                    }
                }
            }
            """;

    @TempDir
    static Path dir;
    private static TestProxy proxy;
    private static HttpOrigin origin;

    @BeforeAll
    static void start() throws Exception {
        UringConfig.assumeIoUring();
        Files.createDirectories(dir.resolve("html/files"));
        try (OutputStream out = Files.newOutputStream(dir.resolve("html/files/big.bin"))) {
            Payload.writeTo(out, BIG, 5);
        }
        origin = new HttpOrigin(r -> r.target().equals("/big")
                ? OriginResponse.ok("").withBody(Payload.bytes(BIG, 9))
                : OriginResponse.ok(r.method() + " " + r.target() + " " + r.bodyText()));
        proxy = TestProxy.start(dir, CONFIG);
    }

    @AfterAll
    static void stop() {
        if (proxy != null) {
            proxy.close();
        }
        if (origin != null) {
            origin.close();
        }
    }

    @Test
    void keepAliveIsReusedOnBothSides() throws Exception {
        int acceptedBefore = origin.accepted();
        String host = "127.0.0.1:" + origin.port();
        try (RawClient client = RawClient.connect(proxy.address())) {
            for (int i = 0; i < 5; i++) {
                client.send("GET http://" + host + "/k" + i + " HTTP/1.1\r\nHost: " + host + "\r\n\r\n");
                assertThat(client.readResponse()).startsWith("HTTP/1.1 200 OK\r\n").endsWith("GET /k" + i + " ");
            }
            client.send("POST http://" + host + "/post HTTP/1.1\r\nHost: " + host
                    + "\r\nContent-Length: 5\r\n\r\nhello");
            assertThat(client.readResponse()).endsWith("POST /post hello");
        }
        // one event loop, one client connection: every request went over one upstream connection
        assertThat(origin.accepted() - acceptedBefore).isEqualTo(1);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(proxy.lines("access.log"))
                .contains("GET http://" + host + "/k4 HTTP/1.1 200 " + host + " 8"));
    }

    @Test
    void aLargeResponseArrivesIntact() throws Exception {
        String host = "127.0.0.1:" + origin.port();
        try (RawClient client = RawClient.connect(proxy.address())) {
            client.timeout(Duration.ofSeconds(30));
            client.send("GET http://" + host + "/big HTTP/1.1\r\nHost: " + host + "\r\n\r\n");
            String head = client.readHead();
            assertThat(head).startsWith("HTTP/1.1 200 OK\r\n").contains("\r\nContent-Length: " + BIG + "\r\n");
            assertThat(client.digest(BIG)).isEqualTo(new Received(BIG, Payload.sha256(BIG, 9)));
        }
    }

    @Test
    void aStaticFileIsSentWhole() throws Exception {
        try (RawClient client = RawClient.connect(proxy.address())) {
            client.timeout(Duration.ofSeconds(30));
            client.send("GET /files/big.bin HTTP/1.1\r\nHost: static.test\r\n\r\n");
            String head = client.readHead();
            assertThat(head).startsWith("HTTP/1.1 200 OK\r\n").contains("\r\nContent-Length: " + BIG + "\r\n");
            assertThat(client.digest(BIG)).isEqualTo(new Received(BIG, Payload.sha256(BIG, 5)));
            // the connection stays usable after a file body
            client.send("GET /files/big.bin HTTP/1.1\r\nHost: static.test\r\nRange: bytes=0-3\r\n\r\n");
            String partial = client.readResponse();
            assertThat(partial).startsWith("HTTP/1.1 206 Partial Content\r\n");
            assertThat(partial.substring(partial.length() - 4).getBytes(StandardCharsets.ISO_8859_1))
                    .isEqualTo(Arrays.copyOf(Payload.bytes(BIG, 5), 4));
        }
    }
}
