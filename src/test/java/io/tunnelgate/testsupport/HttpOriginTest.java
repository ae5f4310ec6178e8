package io.tunnelgate.testsupport;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link HttpOrigin} spoken to byte by byte with {@link RawClient}. */
class HttpOriginTest {

    @Test
    void answersHelloAndKeepsTheConnectionAlive() throws Exception {
        try (HttpOrigin origin = new HttpOrigin(); RawClient client = RawClient.connect(origin.port())) {
            client.send("GET /one HTTP/1.1\r\nHost: a.test\r\nX-Trace: 1\r\n\r\n");
            String first = client.readResponse();
            client.send("GET /two HTTP/1.1\r\nHost: a.test\r\n\r\n");
            String second = client.readResponse();

            assertThat(first).isEqualTo("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello");
            assertThat(second).endsWith("\r\n\r\nhello");
            assertThat(origin.accepted()).as("one keep-alive connection").isEqualTo(1);
            RecordedRequest one = origin.nextRequest();
            assertThat(one.requestLine()).isEqualTo("GET /one HTTP/1.1");
            assertThat(one.headers()).containsExactly("Host: a.test", "X-Trace: 1");
            assertThat(one.header("x-trace")).isEqualTo("1");
            assertThat(one.head()).isEqualTo("GET /one HTTP/1.1\r\nHost: a.test\r\nX-Trace: 1\r\n\r\n");
            assertThat(origin.nextRequest().target()).isEqualTo("/two");
            assertThat(origin.requests()).hasSize(2);
        }
    }

    @Test
    void closesAfterConnectionCloseAndAfterHttp10() throws Exception {
        try (HttpOrigin origin = new HttpOrigin()) {
            try (RawClient client = RawClient.connect(origin.port())) {
                client.send("GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
                assertThat(client.readResponse()).contains("\r\nConnection: close\r\n").endsWith("hello");
                assertThat(client.awaitEof()).isTrue();
            }
            try (RawClient client = RawClient.connect(origin.port())) {
                client.send("GET / HTTP/1.0\r\n\r\n");
                assertThat(client.readResponse()).startsWith("HTTP/1.1 200 OK\r\n");
                assertThat(client.awaitEof()).isTrue();
            }
            try (RawClient client = RawClient.connect(origin.port())) {
                client.send("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
                assertThat(client.readResponse()).contains("\r\nConnection: keep-alive\r\n");
                client.send("GET / HTTP/1.0\r\n\r\n");
                assertThat(client.readResponse()).endsWith("hello");
                assertThat(client.awaitEof()).isTrue();
            }
            assertThat(origin.accepted()).isEqualTo(3);
        }
    }

    @Test
    void recordsContentLengthAndChunkedBodies() throws Exception {
        try (HttpOrigin origin = new HttpOrigin(request -> OriginResponse.ok("got " + request.bodyText()));
             RawClient client = RawClient.connect(origin.port())) {
            client.send("POST /a HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\nabc");
            assertThat(client.readResponse()).endsWith("\r\n\r\ngot abc");
            client.send("POST /b HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "2\r\nde\r\n3;ext=1\r\nfgh\r\n0\r\nTrailer: x\r\n\r\n");
            assertThat(client.readResponse()).endsWith("\r\n\r\ngot defgh");

            assertThat(origin.nextRequest().bodyText()).isEqualTo("abc");
            assertThat(origin.nextRequest().bodyText()).isEqualTo("defgh");
        }
    }

    @Test
    void answersExpectContinueBeforeReadingTheBody() throws Exception {
        try (HttpOrigin origin = new HttpOrigin(); RawClient client = RawClient.connect(origin.port())) {
            client.send("PUT / HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\nExpect: 100-continue\r\n\r\n");
            assertThat(client.readHead()).isEqualTo("HTTP/1.1 100 Continue\r\n\r\n");
            client.send("ok");
            assertThat(client.readResponse()).endsWith("hello");
        }
    }

    @Test
    void usesTheHandlersStatusHeadersAndFraming() throws Exception {
        OriginResponse chunked = OriginResponse.of(404, "")
                .withHeader("Transfer-Encoding", "chunked")
                .withBody("4\r\nnope\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        try (HttpOrigin origin = new HttpOrigin(request -> switch (request.target()) {
            case "/chunked" -> chunked;
            case "/empty" -> OriginResponse.of(204, "");
            default -> OriginResponse.of(503, "busy").withHeader("Retry-After", "1");
        }); RawClient client = RawClient.connect(origin.port())) {
            client.send("GET /chunked HTTP/1.1\r\nHost: h\r\n\r\n");
            assertThat(client.readResponse()).isEqualTo(
                    "HTTP/1.1 404 Not Found\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nnope\r\n0\r\n\r\n");
            client.send("GET /empty HTTP/1.1\r\nHost: h\r\n\r\n");
            assertThat(client.readResponse()).isEqualTo("HTTP/1.1 204 No Content\r\n\r\n");
            client.send("HEAD /busy HTTP/1.1\r\nHost: h\r\n\r\n");
            String head = client.readHead();
            assertThat(RawClient.status(head)).isEqualTo(503);
            assertThat(head).contains("Retry-After: 1\r\n").contains("Content-Length: 4\r\n");
            client.send("GET /busy HTTP/1.1\r\nHost: h\r\n\r\n");
            assertThat(client.readResponse()).as("HEAD left no body behind").startsWith("HTTP/1.1 503 ")
                    .endsWith("busy");
        }
    }
}
