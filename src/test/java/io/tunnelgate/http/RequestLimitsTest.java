package io.tunnelgate.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.tunnelgate.testsupport.RawClient;
import io.tunnelgate.testsupport.TestProxy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * nginx's version and size limits on the request head: 505 for HTTP/2.0 and above, 414 for a
 * request line longer than a large header buffer, and nginx's 494 ("Request Header Or Cookie Too
 * Large", sent and logged as 400) for a header line longer than one, or more header lines than the
 * large buffers hold. {@code large_client_header_buffers} moves both limits.
 */
class RequestLimitsTest {
    private static final String CONFIG = """
            http {
                log_format t '"$request" $status $bytes_sent $body_bytes_sent';
                access_log ${DIR}/access.log t;
                error_log ${DIR}/error.log info;
                server {
                    listen 127.0.0.1:${PORT};
                    server_name proxy.test;
                    proxy_connect;
                    %s
                    location / { return 200 "ok"; }
                }
            }
            """;

    @TempDir
    static Path dir;
    private static TestProxy standard;
    private static TestProxy large;

    @BeforeAll
    static void start() throws IOException {
        standard = TestProxy.start(Files.createDirectories(dir.resolve("standard")), CONFIG.formatted(""));
        large = TestProxy.start(Files.createDirectories(dir.resolve("large")),
                CONFIG.formatted("large_client_header_buffers 4 16k;"));
    }

    @AfterAll
    static void stop() {
        standard.close();
        large.close();
    }

    @Test
    void http2VersionIs505AndCloses() throws Exception {
        Logs logs = Logs.mark(standard);
        Reply reply = closingExchange(standard, "CONNECT a.test:443 HTTP/2.0\r\nHost: a.test\r\n\r\n");
        reply.assertPage("HTTP/1.1 505 HTTP Version Not Supported", "505 HTTP Version Not Supported", true);
        assertThat(logs.accessLine()).isEqualTo("\"CONNECT a.test:443 HTTP/2.0\" 505 " + reply.wireLength() + " "
                + reply.body().length());
        logs.errorLine("info", "client sent unsupported HTTP version");
    }

    @Test
    void getWithMajorVersion3Is505() throws Exception {
        Reply reply = closingExchange(standard, "GET / HTTP/3.0\r\nHost: a.test\r\n\r\n");
        assertThat(reply.statusLine()).isEqualTo("HTTP/1.1 505 HTTP Version Not Supported");
    }

    @Test
    void requestLineLongerThanLargeBufferIs414() throws Exception {
        Logs logs = Logs.mark(standard);
        Reply reply = closingExchange(standard, "GET /" + "a".repeat(9000) + " HTTP/1.1\r\nHost: a.test\r\n\r\n");
        reply.assertPage("HTTP/1.1 414 Request-URI Too Large", "414 Request-URI Too Large", true);
        assertThat(logs.accessLine()).endsWith(" 414 " + reply.wireLength() + " " + reply.body().length());
        logs.errorLine("info", "client sent too long URI");
    }

    @Test
    void requestLineWithinLargeBufferIsServed() throws Exception {
        String uri = "/" + "a".repeat(8000);
        Logs logs = Logs.mark(standard);
        try (RawClient client = RawClient.connect(standard.address())) {
            client.send("GET " + uri + " HTTP/1.1\r\nHost: a.test\r\n\r\n");
            assertThat(Reply.read(client).body()).isEqualTo("ok");
        }
        assertThat(logs.accessLine()).startsWith("\"GET " + uri + " HTTP/1.1\" 200 ");
    }

    @Test
    void headerLineLongerThanLargeBufferIs494SentAs400() throws Exception {
        Logs logs = Logs.mark(standard);
        Reply reply = closingExchange(standard,
                "GET / HTTP/1.1\r\nHost: a.test\r\nX-Big: " + "b".repeat(9000) + "\r\n\r\n");
        reply.assertPage("HTTP/1.1 400 Bad Request", "400 Request Header Or Cookie Too Large", true);
        assertThat(logs.accessLine()).isEqualTo("\"GET / HTTP/1.1\" 400 " + reply.wireLength() + " "
                + reply.body().length());
        logs.errorLine("info", "client sent too long header line");
    }

    @Test
    void headerLinesBeyondAllLargeBuffersAre494() throws Exception {
        Logs logs = Logs.mark(standard);
        StringBuilder request = new StringBuilder("GET / HTTP/1.1\r\nHost: a.test\r\n");
        for (int i = 0; i < 5; i++) {
            // 7k each: no two fit one 8k buffer, so five need more than the four buffers
            request.append("X-Part-").append(i).append(": ").append("c".repeat(7000)).append("\r\n");
        }
        Reply reply = closingExchange(standard, request.append("\r\n").toString());
        reply.assertPage("HTTP/1.1 400 Bad Request", "400 Request Header Or Cookie Too Large", true);
        assertThat(logs.accessLine()).contains(" 400 " + reply.wireLength() + " ");
    }

    @Test
    void largerBuffersAcceptA10kHeaderAndA12kRequestLine() throws Exception {
        try (RawClient client = RawClient.connect(large.address())) {
            Logs logs = Logs.mark(large);
            client.send("GET / HTTP/1.1\r\nHost: a.test\r\nX-Big: " + "b".repeat(10 * 1024) + "\r\n\r\n");
            Reply.read(client).assertMade("HTTP/1.1 200 OK", false, true);
            assertThat(logs.accessLine()).startsWith("\"GET / HTTP/1.1\" 200 ");

            Logs next = Logs.mark(large);
            client.send("GET /" + "a".repeat(12 * 1024) + " HTTP/1.1\r\nHost: a.test\r\n\r\n");
            assertThat(Reply.read(client).body()).isEqualTo("ok");
            assertThat(next.accessLine()).contains("\" 200 ");
        }
    }

    @Test
    void largerBuffersStillRefuseA17kHeader() throws Exception {
        Reply reply = closingExchange(large,
                "GET / HTTP/1.1\r\nHost: a.test\r\nX-Big: " + "b".repeat(17 * 1024) + "\r\n\r\n");
        reply.assertPage("HTTP/1.1 400 Bad Request", "400 Request Header Or Cookie Too Large", true);
    }

    private static Reply closingExchange(TestProxy proxy, String request) throws Exception {
        try (RawClient client = RawClient.connect(proxy.address())) {
            client.send(request);
            Reply reply = Reply.read(client);
            assertThat(client.awaitEof()).as("closed after the response").isTrue();
            return reply;
        }
    }
}
