package io.tunnelgate.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.tunnelgate.testsupport.RawClient;
import io.tunnelgate.testsupport.TestProxy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * nginx's connection rules (spec §7 keep-alive): HTTP/1.1 stays open for further requests,
 * pipelined requests are answered in order, HTTP/1.0 only with {@code Connection: keep-alive},
 * {@code keepalive_timeout 0} closes, the idle and header timers close without a response (408 in
 * the log only when part of a request had arrived), and a head may arrive in pieces or with bare
 * LF line ends.
 */
class KeepAliveTest {
    private static final String LOGS = """
                log_format t '"$request" $status $bytes_sent $body_bytes_sent $request_length $connection_requests';
                access_log ${DIR}/access.log t;
                error_log ${DIR}/error.log info;
            """;
    private static final String CONFIG = "http {\n" + LOGS + """
                server {
                    listen 127.0.0.1:${PORT};
                    server_name proxy.test;
                    proxy_connect;
                    location = /one { return 200 "one"; }
                    location = /two { return 200 "two"; }
                    location = /three { return 200 "three"; }
                }
                server {
                    listen 127.0.0.1:${PORT};
                    server_name noka.test;
                    keepalive_timeout 0;
                    location / { return 200 "noka"; }
                }
                server {
                    listen 127.0.0.1:${PORT};
                    server_name quick.test;
                    keepalive_timeout 300ms;
                    location / { return 200 "quick"; }
                }
            }
            """;
    private static final String SHORT_TIMERS = "http {\n" + LOGS + """
                server {
                    listen 127.0.0.1:${PORT};
                    server_name short.test;
                    client_header_timeout 300ms;
                    keepalive_timeout 300ms;
                    location / { return 200 "short"; }
                }
            }
            """;

    @TempDir
    static Path dir;
    private static TestProxy proxy;
    private static TestProxy shortTimers;

    @BeforeAll
    static void start() throws IOException {
        proxy = TestProxy.start(Files.createDirectories(dir.resolve("main")), CONFIG);
        shortTimers = TestProxy.start(Files.createDirectories(dir.resolve("short")), SHORT_TIMERS);
    }

    @AfterAll
    static void stop() {
        proxy.close();
        shortTimers.close();
    }

    @Test
    void http11ConnectionCarriesSeveralRequests() throws Exception {
        try (RawClient client = RawClient.connect(proxy.address())) {
            String[] paths = {"/one", "/two", "/three"};
            for (int i = 0; i < paths.length; i++) {
                Logs logs = Logs.mark(proxy);
                String request = "GET " + paths[i] + " HTTP/1.1\r\nHost: proxy.test\r\n\r\n";
                client.send(request);
                Reply reply = Reply.read(client);
                reply.assertMade("HTTP/1.1 200 OK", false, true);
                assertThat(reply.body()).isEqualTo(paths[i].substring(1));
                assertThat(logs.accessLine()).isEqualTo("\"GET " + paths[i] + " HTTP/1.1\" 200 "
                        + reply.wireLength() + " " + reply.body().length() + " " + request.length() + " " + (i + 1));
            }
        }
    }

    @Test
    void pipelinedRequestsInOneWriteAreAnsweredInOrder() throws Exception {
        try (RawClient client = RawClient.connect(proxy.address())) {
            Logs logs = Logs.mark(proxy);
            client.send("GET /three HTTP/1.1\r\nHost: proxy.test\r\n\r\n"
                    + "CONNECT a.test:22 HTTP/1.1\r\nHost: proxy.test\r\n\r\n"
                    + "GET /one HTTP/1.1\r\nHost: proxy.test\r\n\r\n"
                    + "GET /nowhere HTTP/1.1\r\nHost: proxy.test\r\n\r\n"
                    + "GET /two HTTP/1.1\r\nHost: proxy.test\r\n\r\n");
            assertThat(Reply.read(client).body()).isEqualTo("three");
            assertThat(Reply.read(client).statusLine()).isEqualTo("HTTP/1.1 403 Forbidden");
            assertThat(Reply.read(client).body()).isEqualTo("one");
            assertThat(Reply.read(client).statusLine()).isEqualTo("HTTP/1.1 404 Not Found");
            assertThat(Reply.read(client).body()).isEqualTo("two");
            List<String> lines = logs.accessLines(5);
            assertThat(lines).extracting(l -> l.substring(0, l.indexOf('"', 1) + 5) + l.substring(l.lastIndexOf(' ')))
                    .containsExactly("\"GET /three HTTP/1.1\" 200 1", "\"CONNECT a.test:22 HTTP/1.1\" 403 2",
                            "\"GET /one HTTP/1.1\" 200 3", "\"GET /nowhere HTTP/1.1\" 404 4",
                            "\"GET /two HTTP/1.1\" 200 5");
        }
    }

    @Test
    void pipelinedRequestAfterAClosingOneIsNotAnswered() throws Exception {
        try (RawClient client = RawClient.connect(proxy.address())) {
            Logs logs = Logs.mark(proxy);
            client.send("GET /one HTTP/1.1\r\nHost: proxy.test\r\nConnection: close\r\n\r\n"
                    + "GET /two HTTP/1.1\r\nHost: proxy.test\r\n\r\n");
            Reply.read(client).assertMade("HTTP/1.1 200 OK", true, true);
            assertThat(client.awaitEof()).isTrue();
            assertThat(logs.accessLine()).startsWith("\"GET /one HTTP/1.1\" 200 ");
        }
    }

    @Test
    void requestHeadSplitAcrossWritesIsServed() throws Exception {
        try (RawClient client = RawClient.connect(proxy.address())) {
            Logs logs = Logs.mark(proxy);
            for (String piece : new String[] {"CONN", "ECT a.test:", "22 HT", "TP/1.1\r", "\nHo", "st: proxy",
                    ".test\r\n", "\r\n"}) {
                client.send(piece);
                client.output().flush();
            }
            Reply.read(client).assertPage("HTTP/1.1 403 Forbidden", "403 Forbidden", false);
            assertThat(logs.accessLine()).startsWith("\"CONNECT a.test:22 HTTP/1.1\" 403 ");
        }
    }

    @Test
    void bareLfLineEndsAreAcceptedForGetAndConnect() throws Exception {
        try (RawClient client = RawClient.connect(proxy.address())) {
            Logs logs = Logs.mark(proxy);
            client.send("GET /one HTTP/1.1\nHost: proxy.test\n\n");
            assertThat(Reply.read(client).body()).isEqualTo("one");
            client.send("CONNECT a.test:22 HTTP/1.1\nHost: proxy.test\n\n");
            Reply.read(client).assertPage("HTTP/1.1 403 Forbidden", "403 Forbidden", false);
            assertThat(logs.accessLines(2)).satisfiesExactly(
                    l -> assertThat(l).startsWith("\"GET /one HTTP/1.1\" 200 "),
                    l -> assertThat(l).startsWith("\"CONNECT a.test:22 HTTP/1.1\" 403 "));
        }
    }

    @Test
    void http10ClosesWithoutKeepAliveHeader() throws Exception {
        Logs logs = Logs.mark(proxy);
        try (RawClient client = RawClient.connect(proxy.address())) {
            client.send("GET /one HTTP/1.0\r\n\r\n");
            Reply.read(client).assertMade("HTTP/1.1 200 OK", true, true);
            assertThat(client.awaitEof()).isTrue();
        }
        assertThat(logs.accessLine()).startsWith("\"GET /one HTTP/1.0\" 200 ");
    }

    @Test
    void http10StaysOpenWhenItAsksForKeepAlive() throws Exception {
        try (RawClient client = RawClient.connect(proxy.address())) {
            Logs logs = Logs.mark(proxy);
            client.send("GET /one HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
            Reply.read(client).assertMade("HTTP/1.1 200 OK", false, true);
            client.send("GET /two HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n");
            assertThat(Reply.read(client).body()).isEqualTo("two");
            assertThat(logs.accessLines(2)).last().asString().endsWith(" 2");
        }
    }

    @Test
    void http11ConnectionCloseCloses() throws Exception {
        try (RawClient client = RawClient.connect(proxy.address())) {
            client.send("GET /one HTTP/1.1\r\nHost: proxy.test\r\nConnection: close\r\n\r\n");
            Reply.read(client).assertMade("HTTP/1.1 200 OK", true, true);
            assertThat(client.awaitEof()).isTrue();
        }
    }

    @Test
    void keepaliveTimeoutZeroCloses() throws Exception {
        Logs logs = Logs.mark(proxy);
        try (RawClient client = RawClient.connect(proxy.address())) {
            client.send("GET / HTTP/1.1\r\nHost: noka.test\r\n\r\n");
            Reply reply = Reply.read(client);
            reply.assertMade("HTTP/1.1 200 OK", true, true);
            assertThat(reply.body()).isEqualTo("noka");
            assertThat(client.awaitEof()).isTrue();
        }
        assertThat(logs.accessLine()).startsWith("\"GET / HTTP/1.1\" 200 ");
    }

    @Test
    void idleKeptAliveConnectionClosesAfterKeepaliveTimeoutWithoutALogLine() throws Exception {
        try (RawClient client = RawClient.connect(shortTimers.address())) {
            Logs logs = Logs.mark(shortTimers);
            client.send("GET / HTTP/1.1\r\nHost: short.test\r\n\r\n");
            Reply.read(client).assertMade("HTTP/1.1 200 OK", false, true);
            logs.accessLine();
            assertThat(client.readToEof()).isEmpty();
            assertThat(logs.newAccessLines()).hasSize(1);
        }
    }

    @Test
    void idleTimeoutIsTheServedServersNotTheDefaultServers() throws Exception {
        // the default server (proxy.test) keeps idle connections 75 s; quick.test only 300 ms: the
        // connection must close long before RawClient's 10 s read timeout
        try (RawClient client = RawClient.connect(proxy.address())) {
            Logs logs = Logs.mark(proxy);
            client.send("GET / HTTP/1.1\r\nHost: quick.test\r\n\r\n");
            Reply.read(client).assertMade("HTTP/1.1 200 OK", false, true);
            logs.accessLine();
            assertThat(client.readToEof()).isEmpty();
        }
    }

    @Test
    void idleAfterARequestWithABodyClosesWithoutALogLine() throws Exception {
        try (RawClient client = RawClient.connect(shortTimers.address())) {
            Logs logs = Logs.mark(shortTimers);
            client.send("POST / HTTP/1.1\r\nHost: short.test\r\nContent-Length: 5\r\n\r\nhello");
            Reply.read(client).assertMade("HTTP/1.1 200 OK", false, true);
            logs.accessLine();
            assertThat(client.readToEof()).isEmpty();
            assertThat(logs.newAccessLines()).as("the body is no part of a next request").hasSize(1);
            assertThat(logs.newErrorLines()).isEmpty();
        }
    }

    @Test
    void requestAfterABodyIsMeasuredWithoutIt() throws Exception {
        try (RawClient client = RawClient.connect(proxy.address())) {
            Logs logs = Logs.mark(proxy);
            client.send("POST /one HTTP/1.1\r\nHost: proxy.test\r\nContent-Length: 100\r\n\r\n" + "b".repeat(100));
            assertThat(Reply.read(client).body()).isEqualTo("one");
            String second = "GET /two HTTP/1.1\r\nHost: proxy.test\r\n\r\n";
            client.send(second);
            assertThat(Reply.read(client).body()).isEqualTo("two");
            assertThat(logs.accessLines(2).get(1)).endsWith(" " + second.length() + " 2");
        }
    }

    @Test
    void partialHeadTimesOutWithNothingSentAndLogs408() throws Exception {
        Logs logs = Logs.mark(shortTimers);
        try (RawClient client = RawClient.connect(shortTimers.address())) {
            client.send("GET / HTTP/1.1\r\nHost: sho");
            assertThat(client.readToEof()).isEmpty();
        }
        assertThat(logs.accessLine()).startsWith("\"\" 408 0 0 ");
        logs.errorLine("info", "client timed out (110: Connection timed out) while reading client request headers");
    }

    @Test
    void partialRequestLineTimesOutWhileReadingTheLine() throws Exception {
        Logs logs = Logs.mark(shortTimers);
        try (RawClient client = RawClient.connect(shortTimers.address())) {
            client.send("GET / HT");
            assertThat(client.readToEof()).isEmpty();
        }
        assertThat(logs.accessLine()).contains("\" 408 0 0 ");
        logs.errorLine("info", "client timed out (110: Connection timed out) while reading client request line");
    }

    @Test
    void silentConnectionTimesOutWithoutALogLine() throws Exception {
        Logs logs = Logs.mark(shortTimers);
        try (RawClient client = RawClient.connect(shortTimers.address())) {
            assertThat(client.readToEof()).isEmpty();
        }
        assertThat(logs.newAccessLines()).isEmpty();
    }

    @Test
    void clientClosingMidHeadIsLogged400WithNothingSent() throws Exception {
        Logs logs = Logs.mark(proxy);
        try (RawClient client = RawClient.connect(proxy.address())) {
            client.send("GET /one HTTP/1.1\r\nHost: pro");
            client.shutdownOutput();
            assertThat(client.readToEof()).isEmpty();
        }
        assertThat(logs.accessLine()).contains("\" 400 0 0 ");
        logs.errorLine("info", "client prematurely closed connection while reading client request headers");
    }

    @Test
    void clientClosingMidRequestLineIsLogged400WithNothingSent() throws Exception {
        Logs logs = Logs.mark(proxy);
        try (RawClient client = RawClient.connect(proxy.address())) {
            client.send("GET /on");
            client.shutdownOutput();
            assertThat(client.readToEof()).isEmpty();
        }
        assertThat(logs.accessLine()).contains("\" 400 0 0 ");
        logs.errorLine("info", "client prematurely closed connection while reading client request line");
    }
}
