package io.tunnelgate.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tunnelgate.testsupport.RawClient;
import io.tunnelgate.testsupport.TestProxy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code keepalive_requests} and {@code keepalive_time}: the last request a connection may carry
 * is answered with {@code Connection: close} and the connection closes after it; the location's
 * values count.
 */
class KeepAliveLimitsTest {
    private static final String CONFIG = """
            http {
                access_log off;
                server {
                    listen 127.0.0.1:${PORT};
                    server_name proxy.test;
                    keepalive_requests 2;
                    location / { return 200 "ok"; }
                    location /once { keepalive_requests 1; return 200 "once"; }
                    location /many { keepalive_requests 5; return 200 "many"; }
                }
                server {
                    listen 127.0.0.1:${PORT};
                    server_name early.test;
                    keepalive_requests 2;
                    return 200 "server";
                }
                server {
                    listen 127.0.0.1:${PORT};
                    server_name aged.test;
                    keepalive_time 1s;
                    location / { return 200 "aged"; }
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

    private static Reply get(RawClient client, String host, String uri) throws Exception {
        client.send("GET " + uri + " HTTP/1.1\r\nHost: " + host + "\r\n\r\n");
        return Reply.read(client);
    }

    @Test
    void secondRequestClosesWithKeepaliveRequests2() throws Exception {
        try (RawClient client = RawClient.connect(proxy.address())) {
            assertThat(get(client, "proxy.test", "/").header("Connection")).isEqualTo("keep-alive");
            Reply second = get(client, "proxy.test", "/");
            assertThat(second.status()).isEqualTo(200);
            assertThat(second.header("Connection")).isEqualTo("close");
            assertThat(client.awaitEof()).isTrue();
        }
    }

    @Test
    void pipelinedRequestsBeyondTheLimitAreNotAnswered() throws Exception {
        try (RawClient client = RawClient.connect(proxy.address())) {
            String get = "GET / HTTP/1.1\r\nHost: proxy.test\r\n\r\n";
            client.send(get + get + get);
            assertThat(Reply.read(client).header("Connection")).isEqualTo("keep-alive");
            assertThat(Reply.read(client).header("Connection")).isEqualTo("close");
            assertThat(client.awaitEof()).isTrue();
        }
    }

    @Test
    void theLocationsValueCounts() throws Exception {
        try (RawClient client = RawClient.connect(proxy.address())) {
            assertThat(get(client, "proxy.test", "/once").header("Connection")).isEqualTo("close");
            assertThat(client.awaitEof()).isTrue();
        }
        try (RawClient client = RawClient.connect(proxy.address())) {
            for (int i = 1; i < 5; i++) {
                assertThat(get(client, "proxy.test", "/many").header("Connection")).as("request " + i)
                        .isEqualTo("keep-alive");
            }
            assertThat(get(client, "proxy.test", "/many").header("Connection")).isEqualTo("close");
            assertThat(client.awaitEof()).isTrue();
        }
    }

    /** A server-level {@code return} answers before any location: the server's value counts. */
    @Test
    void serverLevelReturnCountsToo() throws Exception {
        try (RawClient client = RawClient.connect(proxy.address())) {
            assertThat(get(client, "early.test", "/").header("Connection")).isEqualTo("keep-alive");
            assertThat(get(client, "early.test", "/").header("Connection")).isEqualTo("close");
            assertThat(client.awaitEof()).isTrue();
        }
    }

    /** Requests keep coming until the connection is older than keepalive_time (1 s). */
    @Test
    void connectionOlderThanKeepaliveTimeCloses() throws Exception {
        try (RawClient client = RawClient.connect(proxy.address())) {
            AtomicInteger answered = new AtomicInteger();
            assertThat(get(client, "aged.test", "/").header("Connection")).isEqualTo("keep-alive");
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).until(() -> {
                answered.incrementAndGet();
                return "close".equals(get(client, "aged.test", "/").header("Connection"));
            });
            assertThat(client.awaitEof()).isTrue();
            assertThat(answered.get()).as("kept alive for a while first").isGreaterThan(1);
        }
    }
}
