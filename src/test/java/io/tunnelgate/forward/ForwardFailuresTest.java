package io.tunnelgate.forward;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tunnelgate.testsupport.HttpWire;
import io.tunnelgate.testsupport.Payload;
import io.tunnelgate.testsupport.RawClient;
import io.tunnelgate.testsupport.Received;
import io.tunnelgate.testsupport.ScriptedServer;
import io.tunnelgate.testsupport.SilentServer;
import io.tunnelgate.testsupport.TestProxy;
import io.tunnelgate.tunnel.PendingConnectPort;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Forwarding when the upstream misbehaves or is special: each error status with its nginx-shaped
 * error-log line, a stale pooled connection retried on a fresh one, an intercepted error answered
 * by error_page, and a 1 GiB response that a stalled client holds back without the proxy
 * buffering it. (WebSocket upgrades: {@link UpgradeRelayTest}.)
 */
class ForwardFailuresTest {
    private static final String CONFIG = """
            http {
                access_log ${DIR}/access.log;
                error_log ${DIR}/error.log info;
                map $http_upgrade $connection_upgrade {
                    default upgrade;
                    ''      close;
                }
                server {
                    listen 127.0.0.1:${PORT};
                    proxy_connect_timeout 300ms;
                    proxy_read_timeout 500ms;
                    location / {
                        proxy_pass http://$host;
                        proxy_set_header Host $host;
                        proxy_set_header Upgrade $http_upgrade;
                        proxy_set_header Connection $connection_upgrade;
                    }
                    location /intercept/ {
                        proxy_pass http://$host;
                        proxy_intercept_errors on;
                        error_page 404 /custom404;
                    }
                    location = /custom404 { return 200 "custom page"; }
                }
            }
            """;

    @TempDir
    static Path dir;
    private static TestProxy proxy;

    @BeforeAll
    static void start() {
        proxy = TestProxy.start(dir, CONFIG);
    }

    @AfterAll
    static void stop() {
        proxy.close();
    }

    private static String get(int port, String path) throws Exception {
        try (RawClient c = RawClient.connect(proxy.address())) {
            c.send("GET http://127.0.0.1:" + port + path + " HTTP/1.1\r\nHost: x\r\n\r\n");
            return c.readResponse();
        }
    }

    private static void assertErrorLogged(String message, int port, String path) {
        await().atMost(10, SECONDS).untilAsserted(() -> assertThat(proxy.lines("error.log")).anyMatch(l ->
                l.contains("[error]") && l.contains(message)
                        && l.contains("upstream: \"http://127.0.0.1:" + port + path + "\"")));
    }

    @Test
    void refusedIs502() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        assertThat(get(port, "/r")).startsWith("HTTP/1.1 502 Bad Gateway\r\n").contains("\r\nProxy-Status: tunnelgate;"
                + " error=connection_refused; details=\"connect() failed (111: Connection refused)\"\r\n");
        assertErrorLogged("connect() failed (111: Connection refused) while connecting to upstream", port, "/r");
    }

    @Test
    void connectTimeoutIs504() throws Exception {
        try (PendingConnectPort pending = PendingConnectPort.open()) {
            assertThat(get(pending.port(), "/ct")).startsWith("HTTP/1.1 504 Gateway Time-out\r\n")
                    .contains("\r\nProxy-Status: tunnelgate; error=connection_timeout; details=\"upstream connect timed out\"\r\n");
            assertErrorLogged("upstream timed out (110: Connection timed out) while connecting to upstream",
                    pending.port(), "/ct");
        }
    }

    @Test
    void silentUpstreamIs504AfterTheReadTimeout() throws Exception {
        try (SilentServer silent = new SilentServer()) {
            assertThat(get(silent.port(), "/rt")).startsWith("HTTP/1.1 504 Gateway Time-out\r\n")
                    .contains("\r\nProxy-Status: tunnelgate; error=connection_read_timeout; details=\"upstream timed out\"\r\n");
            assertErrorLogged("upstream timed out (110: Connection timed out) while reading response header from upstream",
                    silent.port(), "/rt");
        }
    }

    @Test
    void garbageResponseIs502() throws Exception {
        try (ScriptedServer bad = new ScriptedServer(s -> {
            HttpWire.readHead(s.getInputStream());
            s.getOutputStream().write("NOT HTTP AT ALL\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            ScriptedServer.holdUntilClosed();
        })) {
            assertThat(get(bad.port(), "/g")).startsWith("HTTP/1.1 502 Bad Gateway\r\n")
                    .contains("\r\nProxy-Status: tunnelgate; error=http_protocol_error; details=\"upstream sent invalid header\"\r\n");
            assertErrorLogged("upstream sent invalid header while reading response header from upstream", bad.port(), "/g");
        }
    }

    @Test
    void closeWithoutResponseIs502() throws Exception {
        try (ScriptedServer closing = new ScriptedServer(s -> HttpWire.readHead(s.getInputStream()))) {
            assertThat(get(closing.port(), "/c")).startsWith("HTTP/1.1 502 Bad Gateway\r\n").contains("\r\nProxy-Status:"
                    + " tunnelgate; error=connection_terminated; details=\"upstream prematurely closed connection\"\r\n");
            assertErrorLogged("upstream prematurely closed connection while reading response header from upstream",
                    closing.port(), "/c");
        }
    }

    @Test
    void aStalePooledConnectionIsRetriedOnAFreshOne() throws Exception {
        // the first connection answers one request, then closes on the next without answering,
        // as an origin whose keep-alive timeout ends just as the proxy reuses the connection
        try (ScriptedServer origin = new ScriptedServer(s -> {
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            String first = HttpWire.readHead(in);
            out.write(("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n" + (first.contains("/one") ? "ok" : "OK"))
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            HttpWire.readHead(in);
        })) {
            try (RawClient c = RawClient.connect(proxy.address())) {
                c.send("GET http://127.0.0.1:" + origin.port() + "/one HTTP/1.1\r\nHost: x\r\n\r\n");
                assertThat(c.readResponse()).endsWith("\r\n\r\nok").as("an origin's response").doesNotContain("Proxy-Status");
                c.send("GET http://127.0.0.1:" + origin.port() + "/two HTTP/1.1\r\nHost: x\r\n\r\n");
                assertThat(c.readResponse()).startsWith("HTTP/1.1 200 OK\r\n").endsWith("\r\n\r\nOK");
            }
            assertThat(origin.accepted()).isEqualTo(2);
        }
    }

    @Test
    void anInterceptedErrorIsAnsweredByTheErrorPage() throws Exception {
        try (ScriptedServer origin = new ScriptedServer(s -> {
            HttpWire.readHead(s.getInputStream());
            s.getOutputStream().write("HTTP/1.1 404 Not Found\r\nContent-Length: 6\r\n\r\norigin"
                    .getBytes(StandardCharsets.US_ASCII));
            ScriptedServer.holdUntilClosed();
        })) {
            try (RawClient c = RawClient.connect(proxy.address())) {
                c.send("GET /intercept/x HTTP/1.1\r\nHost: 127.0.0.1:" + origin.port() + "\r\n\r\n");
                assertThat(c.readResponse()).startsWith("HTTP/1.1 404 Not Found\r\n").endsWith("custom page")
                        .as("an origin's error is no proxy failure").doesNotContain("Proxy-Status");
            }
        }
    }

    @Test
    void aGibibyteDownloadIsHeldBackByAStalledClientAndArrivesIntact() throws Exception {
        long size = 1L << 30;
        AtomicLong written = new AtomicLong();
        try (ScriptedServer source = new ScriptedServer(s -> {
            HttpWire.readHead(s.getInputStream());
            OutputStream out = s.getOutputStream();
            out.write(("HTTP/1.1 200 OK\r\nContent-Length: " + size + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            byte[] buf = new byte[16 * 1024];
            try (InputStream in = Payload.stream(size, 3)) {
                for (int n; (n = in.read(buf)) != -1; ) {
                    out.write(buf, 0, n);
                    written.addAndGet(n);
                }
            }
            out.flush();
            ScriptedServer.holdUntilClosed();
        })) {
            try (RawClient c = RawClient.connect(proxy.address())) {
                c.timeout(Duration.ofSeconds(60));
                c.send("GET http://127.0.0.1:" + source.port() + "/big HTTP/1.1\r\nHost: x\r\n\r\n");
                AtomicLong last = new AtomicLong(-1);
                await().atMost(30, SECONDS).pollInterval(Duration.ofMillis(200)).until(() -> {
                    long now = written.get();
                    return now > 0 && now == last.getAndSet(now);
                });
                assertThat(written.get()).as("bytes the origin could write while the client read nothing")
                        .isLessThan(64L << 20);
                String head = c.readHead();
                assertThat(head).contains("\r\nContent-Length: " + size + "\r\n");
                Received got = c.digest(size);
                assertThat(got.sha256()).isEqualTo(Payload.sha256(size, 3));
            }
        }
    }
}
