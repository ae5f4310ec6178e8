package io.tunnelgate.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.tunnelgate.testsupport.RawClient;
import io.tunnelgate.testsupport.TestProxy;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Non-CONNECT requests on a proxy_connect server (spec §3.11, §7 return): exact and longest-prefix
 * locations on the normalised URI, the 404 page without a location, {@code return} with text,
 * redirects (relative made absolute), 444, error codes, HEAD, and a proxy_pass location whose
 * name cannot be resolved (502).
 */
class LocationTest {
    private static final String CONFIG = """
            http {
                log_format t '"$request" $status $bytes_sent $body_bytes_sent';
                access_log ${DIR}/access.log t;
                error_log ${DIR}/error.log info;
                server {
                    listen 127.0.0.1:${PORT};
                    server_name proxy.test;
                    proxy_connect;
                    location = /x { return 200 "text"; }
                    location = /a { return 200 "exact a"; }
                    location /a { return 200 "prefix a"; }
                    location /a/b { return 200 "prefix a/b"; }
                    location /r301 { return 301 /y; }
                    location /t302 { return 302 http://other.test/z; }
                    location /u302 { return http://other.test/u; }
                    location /c444 { return 444; }
                    location /e403 { return 403; }
                    location /pass { proxy_pass http://$host; }
                }
                server {
                    listen 127.0.0.1:${PORT};
                    server_name plain.test;
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

    @Test
    void exactLocationReturnsItsText() throws Exception {
        Logs logs = Logs.mark(proxy);
        Reply reply = get("/x", "proxy.test");
        reply.assertMade("HTTP/1.1 200 OK", false, true);
        assertThat(reply.header("Content-Type")).isEqualTo("text/plain");
        assertThat(reply.body()).isEqualTo("text");
        assertThat(reply.headerNames()).containsExactly("Server", "Date", "Content-Type", "Content-Length",
                "Connection");
        assertThat(logs.accessLine()).isEqualTo("\"GET /x HTTP/1.1\" 200 " + reply.wireLength() + " 4");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "/a, exact a",
        "/a/, prefix a",
        "/ab, prefix a",
        "/a/b, prefix a/b",
        "/a/b/c?q=1, prefix a/b",
        "/a/./b/../b/c, prefix a/b",
        "/a//b, prefix a/b",
        "/%61/b, prefix a/b",
        "/x/../a, exact a",
    })
    void exactThenLongestPrefixOnTheNormalisedPath(String uri, String body) throws Exception {
        assertThat(get(uri, "proxy.test").body()).isEqualTo(body);
    }

    @Test
    void noMatchingLocationIs404AndKeepsAlive() throws Exception {
        try (RawClient client = RawClient.connect(proxy.address())) {
            Logs logs = Logs.mark(proxy);
            client.send("GET /nothing HTTP/1.1\r\nHost: proxy.test\r\n\r\n");
            Reply reply = Reply.read(client);
            reply.assertPage("HTTP/1.1 404 Not Found", "404 Not Found", false);
            assertThat(logs.accessLine()).isEqualTo("\"GET /nothing HTTP/1.1\" 404 " + reply.wireLength() + " "
                    + reply.body().length());
            assertNextAnswered(client);
        }
    }

    @Test
    void serverWithoutLocationsAnswers404() throws Exception {
        get("/", "plain.test").assertPage("HTTP/1.1 404 Not Found", "404 Not Found", false);
    }

    @Test
    void relativeRedirectIsMadeAbsoluteWithHostAndPort() throws Exception {
        Logs logs = Logs.mark(proxy);
        Reply reply = get("/r301", "Proxy.Test:" + proxy.port());
        reply.assertPage("HTTP/1.1 301 Moved Permanently", "301 Moved Permanently", false);
        assertThat(reply.header("Location")).isEqualTo("http://proxy.test:" + proxy.port() + "/y");
        assertThat(logs.accessLine()).isEqualTo("\"GET /r301 HTTP/1.1\" 301 " + reply.wireLength() + " "
                + reply.body().length());
    }

    @Test
    void absoluteRedirectIsKeptAsWritten() throws Exception {
        Reply reply = get("/t302", "proxy.test");
        reply.assertPage("HTTP/1.1 302 Moved Temporarily", "302 Moved Temporarily", false);
        assertThat(reply.header("Location")).isEqualTo("http://other.test/z");
    }

    @Test
    void returnWithOnlyAUrlIs302() throws Exception {
        Reply reply = get("/u302", "proxy.test");
        assertThat(reply.statusLine()).isEqualTo("HTTP/1.1 302 Moved Temporarily");
        assertThat(reply.header("Location")).isEqualTo("http://other.test/u");
    }

    @Test
    void returnCodeAloneSendsTheErrorPage() throws Exception {
        get("/e403", "proxy.test").assertPage("HTTP/1.1 403 Forbidden", "403 Forbidden", false);
    }

    @Test
    void return444ClosesWithNothingSent() throws Exception {
        Logs logs = Logs.mark(proxy);
        try (RawClient client = RawClient.connect(proxy.address())) {
            client.send("GET /c444 HTTP/1.1\r\nHost: proxy.test\r\n\r\n");
            assertThat(client.readToEof()).isEmpty();
        }
        assertThat(logs.accessLine()).isEqualTo("\"GET /c444 HTTP/1.1\" 444 0 0");
    }

    @Test
    void headGetsTheHeadersOnly() throws Exception {
        try (RawClient client = RawClient.connect(proxy.address())) {
            Logs logs = Logs.mark(proxy);
            client.send("HEAD /x HTTP/1.1\r\nHost: proxy.test\r\n\r\n");
            String head = client.readHead();
            Reply reply = Reply.parse(head);
            assertThat(reply.statusLine()).isEqualTo("HTTP/1.1 200 OK");
            assertThat(reply.header("Content-Length")).isEqualTo("4");
            assertThat(reply.header("Connection")).isEqualTo("keep-alive");
            assertThat(logs.accessLine()).isEqualTo("\"HEAD /x HTTP/1.1\" 200 " + head.length() + " 0");
            // had a body been sent, it would be read here as the next status line
            Logs next = Logs.mark(proxy);
            client.send("HEAD /nothing HTTP/1.1\r\nHost: proxy.test\r\n\r\n");
            String notFoundHead = client.readHead();
            Reply notFound = Reply.parse(notFoundHead);
            assertThat(next.accessLine()).isEqualTo("\"HEAD /nothing HTTP/1.1\" 404 " + notFoundHead.length() + " 0");
            assertThat(notFound.statusLine()).isEqualTo("HTTP/1.1 404 Not Found");
            assertThat(notFound.header("Content-Length")).isEqualTo(Integer.toString(
                    Reply.page("404 Not Found", true).length()));
            assertNextAnswered(client);
        }
    }

    @Test
    void requestBodyIsReadAndDroppedBeforeTheNextRequest() throws Exception {
        try (RawClient client = RawClient.connect(proxy.address())) {
            Logs logs = Logs.mark(proxy);
            client.send("POST /x HTTP/1.1\r\nHost: proxy.test\r\nContent-Length: 15\r\n\r\nGET /a HTTP/1.1");
            assertThat(Reply.read(client).body()).isEqualTo("text");
            assertThat(logs.accessLine()).startsWith("\"POST /x HTTP/1.1\" 200 ");
            assertNextAnswered(client);
        }
    }

    @Test
    void proxyPassToANameWithoutResolverAnswers502AndLogsWhy() throws Exception {
        Logs logs = Logs.mark(proxy);
        try (RawClient client = RawClient.connect(proxy.address())) {
            client.send("GET /pass/q HTTP/1.1\r\nHost: proxy.test\r\n\r\n");
            Reply reply = Reply.read(client);
            reply.assertPage("HTTP/1.1 502 Bad Gateway", "502 Bad Gateway", false);
            assertThat(logs.accessLine()).isEqualTo("\"GET /pass/q HTTP/1.1\" 502 " + reply.wireLength() + " "
                    + reply.body().length());
        }
        assertThat(logs.errorLine("error", "no resolver defined to resolve proxy.test"))
                .contains("request: \"GET /pass/q HTTP/1.1\"");
    }

    /** The connection is still open and in step: another GET on it is answered (and logged). */
    private static void assertNextAnswered(RawClient client) throws Exception {
        Logs logs = Logs.mark(proxy);
        client.send("GET /x HTTP/1.1\r\nHost: proxy.test\r\n\r\n");
        assertThat(Reply.read(client).body()).isEqualTo("text");
        assertThat(logs.accessLine()).startsWith("\"GET /x HTTP/1.1\" 200 ");
    }

    /**
     * One GET on a new connection. Its access-log line is awaited, so that it cannot turn up
     * among the next test's lines.
     */
    private static Reply get(String uri, String host) throws Exception {
        Logs logs = Logs.mark(proxy);
        try (RawClient client = RawClient.connect(proxy.address())) {
            client.send("GET " + uri + " HTTP/1.1\r\nHost: " + host + "\r\n\r\n");
            Reply reply = Reply.read(client);
            logs.accessLine();
            return reply;
        }
    }
}
