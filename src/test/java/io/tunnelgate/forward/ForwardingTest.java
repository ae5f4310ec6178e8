package io.tunnelgate.forward;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tunnelgate.testsupport.Curl;
import io.tunnelgate.testsupport.Http;
import io.tunnelgate.testsupport.HttpOrigin;
import io.tunnelgate.testsupport.HttpWire;
import io.tunnelgate.testsupport.OriginResponse;
import io.tunnelgate.testsupport.RawClient;
import io.tunnelgate.testsupport.RecordedRequest;
import io.tunnelgate.testsupport.TestProxy;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Plain-HTTP forwarding with the module README's block ({@code proxy_pass http://$host;
 * proxy_set_header Host $host;}) against a local origin that echoes what it received: methods and
 * bodies in both framings, 100-continue, HEAD, 204/304, the headers passed and dropped each way,
 * keep-alive on both sides, and the access-log variables.
 */
class ForwardingTest {
    private static final String CONFIG = """
            http {
                log_format up '$request $status $upstream_addr $upstream_status $proxy_host '
                              '$upstream_bytes_received $upstream_http_x_origin';
                access_log ${DIR}/access.log up;
                error_log ${DIR}/error.log info;
                server {
                    listen 127.0.0.1:${PORT};
                    proxy_connect;
                    location / {
                        proxy_pass http://$host;
                        proxy_set_header Host $host;
                    }
                }
            }
            """;

    @TempDir
    static Path dir;
    private static TestProxy proxy;
    private static HttpOrigin origin;

    @BeforeAll
    static void start() {
        proxy = TestProxy.start(dir, CONFIG);
        origin = new HttpOrigin(ForwardingTest::answer);
    }

    @AfterAll
    static void stop() throws Exception {
        proxy.close();
        origin.close();
    }

    /** Echoes the method, target and body; a few paths give special statuses. */
    private static OriginResponse answer(RecordedRequest r) {
        String path = r.target();
        if (path.startsWith("/204")) {
            return OriginResponse.of(204, "");
        }
        if (path.startsWith("/304")) {
            return OriginResponse.of(304, "").withHeader("ETag", "\"e\"");
        }
        return OriginResponse.ok(r.method() + " " + path + " " + new String(r.body(), StandardCharsets.UTF_8))
                .withHeader("X-Origin", "yes").withHeader("Server", "origin/1").withHeader("X-Accel-Buffering", "no")
                .withHeader("Keep-Alive", "timeout=5");
    }

    private String base() {
        return "http://127.0.0.1:" + origin.port();
    }

    @Test
    void curlGetsThroughThePortPreserved() {
        Curl.Result r = Curl.run("-sS", "-i", "-x", "http://127.0.0.1:" + proxy.port(), base() + "/curl?a=1");
        assertThat(r.exitCode()).isZero();
        assertThat(r.stdout()).startsWith("HTTP/1.1 200 OK\r\n").endsWith("GET /curl?a=1 ")
                .contains("\r\nServer: tunnelgate").contains("\r\nX-Origin: yes\r\n")
                .contains("\r\nVia: 1.1 tunnelgate\r\n")
                .doesNotContain("origin/1").doesNotContain("X-Accel").doesNotContain("Keep-Alive");
        RecordedRequest seen = origin.requests().stream().filter(q -> q.target().equals("/curl?a=1")).findFirst()
                .orElseThrow();
        assertThat(seen.head()).contains("\r\nHost: 127.0.0.1\r\n").contains("\r\nVia: 1.1 tunnelgate\r\n")
                .doesNotContain("Proxy-Connection");
        await().atMost(10, SECONDS).untilAsserted(() -> assertThat(proxy.lines("access.log")).anyMatch(l ->
                l.equals("GET " + base() + "/curl?a=1 HTTP/1.1 200 127.0.0.1:" + origin.port() + " 200 127.0.0.1:"
                        + origin.port() + " " + seenBytes(l) + " yes")));
    }

    private static String seenBytes(String line) {
        return line.split(" ")[7];
    }

    @Test
    void jdkClientPostsBothFramings() throws Exception {
        HttpClient client = Http.viaProxy(proxy.address());
        HttpResponse<String> fixed = client.send(HttpRequest.newBuilder(URI.create(base() + "/post"))
                .POST(HttpRequest.BodyPublishers.ofString("fixed body")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(fixed.statusCode()).isEqualTo(200);
        assertThat(fixed.body()).isEqualTo("POST /post fixed body");
        byte[] big = new byte[300_000];
        java.util.Arrays.fill(big, (byte) 'x');
        HttpResponse<String> streamed = client.send(HttpRequest.newBuilder(URI.create(base() + "/chunked"))
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(big))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(streamed.body()).isEqualTo("POST /chunked " + "x".repeat(big.length));
    }

    @Test
    void rawChunkedUploadWithTrailersAndExpectContinue() throws Exception {
        try (RawClient c = RawClient.connect(proxy.address())) {
            c.send("POST " + base() + "/up HTTP/1.1\r\nHost: 127.0.0.1:" + origin.port()
                    + "\r\nTransfer-Encoding: chunked\r\nExpect: 100-continue\r\n\r\n");
            assertThat(c.readHead()).startsWith("HTTP/1.1 100 Continue\r\n");
            c.send("5\r\nhello\r\n6\r\n world\r\n0\r\nX-Trailer: t\r\n\r\n");
            String r = c.readResponse();
            assertThat(r).startsWith("HTTP/1.1 200 OK\r\n").endsWith("POST /up hello world");
        }
    }

    @Test
    void headAnd204And304HaveNoBodyAndKeepTheConnection() throws Exception {
        try (RawClient c = RawClient.connect(proxy.address())) {
            c.send("HEAD " + base() + "/head HTTP/1.1\r\nHost: a\r\n\r\n");
            String head = c.readHead();
            assertThat(head).startsWith("HTTP/1.1 200 OK\r\n").contains("\r\nContent-Length: 11\r\n");
            c.send("GET " + base() + "/204 HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(c.readHead()).startsWith("HTTP/1.1 204 No Content\r\n").doesNotContain("Transfer-Encoding");
            c.send("GET " + base() + "/304 HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(c.readHead()).startsWith("HTTP/1.1 304 Not Modified\r\n").contains("ETag: \"e\"");
            c.send("GET " + base() + "/after HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(c.readResponse()).endsWith("GET /after ");
        }
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrder() throws Exception {
        try (RawClient c = RawClient.connect(proxy.address())) {
            c.send("GET " + base() + "/p1 HTTP/1.1\r\nHost: a\r\n\r\n"
                    + "POST " + base() + "/p2 HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabc"
                    + "GET " + base() + "/p3 HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(c.readResponse()).endsWith("GET /p1 ");
            assertThat(c.readResponse()).endsWith("POST /p2 abc");
            assertThat(c.readResponse()).endsWith("GET /p3 ");
        }
    }

    @Test
    void hopByHopHeadersAreDroppedAndOthersPass() throws Exception {
        try (RawClient c = RawClient.connect(proxy.address())) {
            c.send("GET " + base() + "/hop HTTP/1.1\r\nHost: a\r\nConnection: keep-alive, X-Hop\r\nX-Hop: 1\r\n"
                    + "Keep-Alive: 300\r\nTE: trailers\r\nProxy-Connection: keep-alive\r\nUpgrade: foo\r\n"
                    + "X-End: 2\r\nCookie: c=1\r\n\r\n");
            c.readResponse();
        }
        String head = origin.requests().stream().filter(q -> q.target().equals("/hop")).findFirst().orElseThrow().head();
        assertThat(head).contains("\r\nX-End: 2\r\n").contains("\r\nCookie: c=1\r\n");
        for (String dropped : new String[] {"X-Hop", "Keep-Alive", "TE:", "Proxy-Connection", "Upgrade"}) {
            assertThat(head).as(dropped).doesNotContain("\r\n" + dropped);
        }
    }

    @Test
    void http10ClientGetsAChunkedResponseCloseDelimited() throws Exception {
        try (io.tunnelgate.testsupport.ScriptedServer chunked = new io.tunnelgate.testsupport.ScriptedServer(s -> {
            HttpWire.readHead(s.getInputStream());
            OutputStream out = s.getOutputStream();
            out.write(("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            io.tunnelgate.testsupport.ScriptedServer.holdUntilClosed();
        })) {
            try (RawClient c = RawClient.connect(proxy.address())) {
                c.send("GET http://127.0.0.1:" + chunked.port() + "/ HTTP/1.0\r\n\r\n");
                String all = new String(c.readToEof(), StandardCharsets.ISO_8859_1);
                assertThat(all).startsWith("HTTP/1.1 200 OK\r\n").contains("\r\nConnection: close\r\n")
                        .doesNotContain("Transfer-Encoding").endsWith("\r\n\r\nabcde");
            }
            try (RawClient c = RawClient.connect(proxy.address())) {
                c.send("GET http://127.0.0.1:" + chunked.port() + "/ HTTP/1.1\r\nHost: a\r\n\r\n");
                assertThat(c.readResponse()).contains("\r\nTransfer-Encoding: chunked\r\n")
                        .endsWith("3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n");
            }
        }
    }

    @Test
    void keepAliveIsReusedOnBothSides() throws Exception {
        try (HttpOrigin counted = new HttpOrigin(r -> OriginResponse.ok("n"))) {
            try (RawClient c = RawClient.connect(proxy.address())) {
                for (int i = 0; i < 5; i++) {
                    c.send("GET http://127.0.0.1:" + counted.port() + "/k" + i + " HTTP/1.1\r\nHost: a\r\n\r\n");
                    assertThat(c.readResponse()).endsWith("n");
                }
            }
            HttpClient client = Http.viaProxy(proxy.address());
            for (int i = 0; i < 5; i++) {
                assertThat(Http.get(client, "http://127.0.0.1:" + counted.port() + "/j" + i).body()).isEqualTo("n");
            }
            assertThat(counted.requests()).hasSize(10);
            // one proxy event loop per client connection; at most one upstream connection per loop in use
            assertThat(counted.accepted()).isLessThanOrEqualTo(2);
        }
    }
}
