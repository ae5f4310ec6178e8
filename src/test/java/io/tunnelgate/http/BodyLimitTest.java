package io.tunnelgate.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.tunnelgate.testsupport.RawClient;
import io.tunnelgate.testsupport.TestProxy;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code client_max_body_size}: a Content-Length above the value of the request's location is 413
 * before any content handler runs; a chunked body is counted as it arrives and is 413 once past
 * the limit if nothing was answered yet. 413 closes the connection; a request pipelined behind
 * it is not answered.
 */
class BodyLimitTest {
    private static final String CONFIG = """
            http {
                log_format t '"$request" $status';
                access_log ${DIR}/access.log t;
                error_log ${DIR}/error.log info;
                client_max_body_size 10;
                server {
                    listen 127.0.0.1:${PORT};
                    server_name proxy.test;
                    location / { return 200 "ok"; }
                    location /free/ { client_max_body_size 0; return 200 "free"; }
                    location /large/ { client_max_body_size 1k; return 200 "large"; }
                    location /static/ { root ${DIR}/www; }
                }
            }
            """;
    private static final String PIPELINED = "GET /next HTTP/1.1\r\nHost: proxy.test\r\n\r\n";

    @TempDir
    static Path dir;
    private static TestProxy proxy;

    @BeforeAll
    static void start() throws Exception {
        Files.createDirectories(dir.resolve("www/static"));
        Files.writeString(dir.resolve("www/static/a.txt"), "static");
        proxy = TestProxy.start(dir, CONFIG);
    }

    @AfterAll
    static void stop() {
        proxy.close();
    }

    private static String post(String uri, String framing, String body) {
        return "POST " + uri + " HTTP/1.1\r\nHost: proxy.test\r\n" + framing + "\r\n\r\n" + body;
    }

    @Test
    void contentLengthAboveTheLimitIs413AndCloses() throws Exception {
        Logs logs = Logs.mark(proxy);
        try (RawClient client = RawClient.connect(proxy.address())) {
            client.send(post("/", "Content-Length: 11", "12345678901") + PIPELINED);
            Reply.read(client).assertPage("HTTP/1.1 413 Request Entity Too Large", "413 Request Entity Too Large", true);
            assertThat(client.awaitEof()).isTrue();
        }
        assertThat(logs.accessLine()).isEqualTo("\"POST / HTTP/1.1\" 413");
        logs.errorLine("error", "client intended to send too large body: 11 bytes");
    }

    @Test
    void contentLengthAtTheLimitIsServedAndKeptAlive() throws Exception {
        try (RawClient client = RawClient.connect(proxy.address())) {
            client.send(post("/", "Content-Length: 10", "1234567890") + PIPELINED);
            Reply first = Reply.read(client);
            assertThat(first.status()).isEqualTo(200);
            assertThat(first.header("Connection")).isEqualTo("keep-alive");
            assertThat(Reply.read(client).status()).isEqualTo(200);
        }
    }

    /** The location's value counts: 0 lifts the limit, 1k raises it. */
    @Test
    void theLocationsValueCounts() throws Exception {
        try (RawClient client = RawClient.connect(proxy.address())) {
            client.send(post("/free/", "Content-Length: 2000", "x".repeat(2000)));
            assertThat(Reply.read(client).body()).isEqualTo("free");
            client.send(post("/large/", "Content-Length: 1024", "x".repeat(1024)));
            assertThat(Reply.read(client).body()).isEqualTo("large");
            client.send(post("/large/", "Content-Length: 1025", "x".repeat(1025)));
            assertThat(Reply.read(client).status()).isEqualTo(413);
            assertThat(client.awaitEof()).isTrue();
        }
    }

    /** The file lookup is still running when the chunks arrive: counted, and refused past 10 bytes. */
    @Test
    void chunkedBodyPastTheLimitIs413BeforeAnyAnswer() throws Exception {
        Logs logs = Logs.mark(proxy);
        try (RawClient client = RawClient.connect(proxy.address())) {
            client.send(post("/static/a.txt", "Transfer-Encoding: chunked", "6\r\nabcdef\r\n6\r\nghijkl\r\n0\r\n\r\n")
                    + PIPELINED);
            Reply.read(client).assertPage("HTTP/1.1 413 Request Entity Too Large", "413 Request Entity Too Large", true);
            assertThat(client.awaitEof()).isTrue();
        }
        assertThat(logs.accessLine()).isEqualTo("\"POST /static/a.txt HTTP/1.1\" 413");
        logs.errorLine("error", "client intended to send too large chunked body: 6+6 bytes");
    }

    @Test
    void chunkedBodyWithinTheLimitIsServed() throws Exception {
        try (RawClient client = RawClient.connect(proxy.address())) {
            client.send(post("/static/a.txt", "Transfer-Encoding: chunked", "5\r\nabcde\r\n5\r\nfghij\r\n0\r\n\r\n")
                    + PIPELINED);
            Reply reply = Reply.read(client);
            // nginx's static module refuses POST to a file: the answer is its own, not 413
            assertThat(reply.status()).isEqualTo(405);
            assertThat(reply.header("Connection")).isEqualTo("keep-alive");
            assertThat(Reply.read(client).status()).isEqualTo(200);
        }
    }

    /**
     * nginx does not count a body it discards after answering ({@code return} answers before the
     * body is read), so a large chunked body after a {@code return} is dropped, not refused.
     */
    @Test
    void chunkedBodyDiscardedAfterReturnIsNotCounted() throws Exception {
        try (RawClient client = RawClient.connect(proxy.address())) {
            client.send(post("/", "Transfer-Encoding: chunked", ""));
            assertThat(Reply.read(client).status()).isEqualTo(200);
            client.send("14\r\n" + "x".repeat(20) + "\r\n0\r\n\r\n" + PIPELINED);
            Reply next = Reply.read(client);
            assertThat(next.status()).isEqualTo(200);
            assertThat(next.header("Connection")).isEqualTo("keep-alive");
        }
    }
}
