package io.tunnelgate.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tunnelgate.testsupport.RawClient;
import io.tunnelgate.testsupport.TestProxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * nginx's request-smuggling defences: conflicting or unusual body framing is refused when the head
 * is checked, with nginx's status and info line, and the connection closes without answering a
 * request pipelined behind the refused one. A malformed chunked body is 400 while nothing was
 * answered, and closes the connection after an answer that was already sent.
 */
class SmugglingTest {
    private static final String CONFIG = """
            http {
                log_format t '"$request" $status';
                access_log ${DIR}/access.log t;
                error_log ${DIR}/error.log info;
                server {
                    listen 127.0.0.1:${PORT};
                    server_name proxy.test;
                    location / { return 200 "ok"; }
                    location /static/ { root ${DIR}/www; }
                }
            }
            """;
    /** A request that must never be answered once the one before it was refused. */
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

    /** Heads nginx refuses (request line, header lines), with its status and info message. */
    static Stream<Arguments> refusedHeads() {
        String both = "client sent \"Content-Length\" and \"Transfer-Encoding\" headers at the same time";
        String invalidLength = "client sent invalid \"Content-Length\" header";
        return Stream.of(
                Arguments.of("POST / HTTP/1.1", "Content-Length: 5\r\nTransfer-Encoding: chunked", 400, both),
                Arguments.of("POST / HTTP/1.1", "Transfer-Encoding: chunked\r\nContent-Length: 5", 400, both),
                Arguments.of("GET / HTTP/1.1", "Transfer-Encoding: chunked\r\nContent-Length: 0", 400, both),
                Arguments.of("POST / HTTP/1.1", "Content-Length: 5\r\nContent-Length: 5", 400,
                        "client sent duplicate header line: \"Content-Length: 5\", previous value: \"Content-Length: 5\""),
                Arguments.of("POST / HTTP/1.1", "Content-Length: 5\r\ncontent-length: 6", 400,
                        "client sent duplicate header line: \"content-length: 6\", previous value: \"Content-Length: 5\""),
                Arguments.of("POST / HTTP/1.0", "Content-Length: 5\r\nContent-Length: 5", 400,
                        "client sent duplicate header line: \"Content-Length: 5\", previous value: \"Content-Length: 5\""),
                Arguments.of("POST / HTTP/1.1", "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked", 400,
                        "client sent duplicate header line: \"Transfer-Encoding: chunked\", previous value: "
                                + "\"Transfer-Encoding: chunked\""),
                Arguments.of("POST / HTTP/1.1", "Content-Length: abc", 400, invalidLength),
                Arguments.of("POST / HTTP/1.1", "Content-Length: -1", 400, invalidLength),
                Arguments.of("POST / HTTP/1.1", "Content-Length: +5", 400, invalidLength),
                Arguments.of("POST / HTTP/1.1", "Content-Length: 5, 5", 400, invalidLength),
                Arguments.of("POST / HTTP/1.1", "Content-Length: 99999999999999999999", 400, invalidLength),
                Arguments.of("GET / HTTP/1.1", "Content-Length: 1x", 400, invalidLength),
                Arguments.of("POST / HTTP/1.1", "Transfer-Encoding: gzip", 501,
                        "client sent unknown \"Transfer-Encoding\": \"gzip\""),
                Arguments.of("POST / HTTP/1.1", "Transfer-Encoding: gzip, chunked", 501,
                        "client sent unknown \"Transfer-Encoding\": \"gzip, chunked\""),
                Arguments.of("POST / HTTP/1.1", "Transfer-Encoding: identity\r\nContent-Length: 5", 501,
                        "client sent unknown \"Transfer-Encoding\": \"identity\""),
                Arguments.of("POST / HTTP/1.0", "Transfer-Encoding: chunked", 400,
                        "client sent HTTP/1.0 request with \"Transfer-Encoding\" header"),
                Arguments.of("GET / HTTP/1.1", "X-A: 1\r\n continued", 400, "client sent invalid header line: \"\\x20...\""),
                Arguments.of("GET / HTTP/1.1", "X-A: 1\r\n\tcontinued", 400, "client sent invalid header line: \"\\x09...\""),
                Arguments.of("POST / HTTP/1.1", "Content-Length: 5\r\n 6", 400, "client sent invalid header line: \"\\x20...\""),
                // the request line is checked before any header line, as nginx reads them in order
                Arguments.of("GET / HTTP/2.0", "X-A: 1\r\n continued", 505, "client sent unsupported HTTP version"));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("refusedHeads")
    void refusedHeadClosesWithoutAnsweringTheNextRequest(String line, String headers, int status, String message)
            throws Exception {
        Logs logs = Logs.mark(proxy);
        try (RawClient client = RawClient.connect(proxy.address())) {
            // the "body" is a request of its own, as a smuggler would hide it
            client.send(line + "\r\nHost: proxy.test\r\n" + headers + "\r\n\r\n" + "0\r\n\r\n" + PIPELINED);
            Reply reply = Reply.read(client);
            assertThat(reply.status()).isEqualTo(status);
            assertThat(reply.header("Connection")).isEqualTo("close");
            assertThat(client.awaitEof()).as("nothing more is answered; the connection closes").isTrue();
        }
        assertThat(logs.accessLine()).isEqualTo("\"" + line + "\" " + status);
        logs.errorLine("info", message);
    }

    /** Folding of the first header line (no header to join it to) and a head sent in parts. */
    @Test
    void foldedLinesAnywhereInTheHeadAreRefused() throws Exception {
        for (String[] parts : new String[][] {
                {"GET / HTTP/1.1\r\n\tX-A: 1\r\nHost: proxy.test\r\n\r\n"},
                {"GET / HTTP/1.1\r\nHost: proxy.test\r\nX-A: 1\r\n", " more\r\n", "\r\n"}}) {
            Logs logs = Logs.mark(proxy);
            try (RawClient client = RawClient.connect(proxy.address())) {
                for (String part : parts) {
                    client.send(part);
                }
                client.send(PIPELINED);
                assertThat(Reply.read(client).status()).isEqualTo(400);
                assertThat(client.awaitEof()).isTrue();
            }
            assertThat(logs.accessLine()).isEqualTo("\"GET / HTTP/1.1\" 400");
            assertThat(logs.newErrorLines()).singleElement().asString().contains("client sent invalid header line: \"\\x");
        }
    }

    @Test
    void chunkedInAnyCaseIsAccepted() throws Exception {
        try (RawClient client = RawClient.connect(proxy.address())) {
            client.send("POST / HTTP/1.1\r\nHost: proxy.test\r\nTransfer-Encoding: Chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n"
                    + PIPELINED);
            assertThat(Reply.read(client).status()).isEqualTo(200);
            Reply next = Reply.read(client);
            assertThat(next.status()).isEqualTo(200);
            assertThat(next.header("Connection")).isEqualTo("keep-alive");
        }
    }

    /** The handler (a file lookup) is still deciding when the bad chunk arrives: nginx's 400. */
    @Test
    void invalidChunkBeforeAnyAnswerIs400() throws Exception {
        Logs logs = Logs.mark(proxy);
        try (RawClient client = RawClient.connect(proxy.address())) {
            client.send("POST /static/a.txt HTTP/1.1\r\nHost: proxy.test\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "zz\r\nabc\r\n0\r\n\r\n" + PIPELINED);
            Reply reply = Reply.read(client);
            reply.assertPage("HTTP/1.1 400 Bad Request", "400 Bad Request", true);
            assertThat(client.awaitEof()).isTrue();
        }
        assertThat(logs.accessLine()).isEqualTo("\"POST /static/a.txt HTTP/1.1\" 400");
        logs.errorLine("error", "client sent invalid chunked body");
    }

    /** {@code return} answers before the body is read; the bad chunk then only closes the connection. */
    @Test
    void invalidChunkAfterTheAnswerCloses() throws Exception {
        Logs logs = Logs.mark(proxy);
        try (RawClient client = RawClient.connect(proxy.address())) {
            client.send("POST / HTTP/1.1\r\nHost: proxy.test\r\nTransfer-Encoding: chunked\r\n\r\n");
            Reply reply = Reply.read(client);
            assertThat(reply.status()).isEqualTo(200);
            assertThat(logs.accessLine()).isEqualTo("\"POST / HTTP/1.1\" 200");
            client.send("3\r\nabc\r\nxyz\r\n" + PIPELINED);
            assertThat(client.awaitEof()).isTrue();
        }
        // no response follows the line this time, so it may land just after the close
        await().atMost(Duration.ofSeconds(5)).until(() -> !logs.newErrorLines().isEmpty());
        logs.errorLine("error", "client sent invalid chunked body");
    }
}
