package io.tunnelgate.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.tunnelgate.testsupport.RawClient;
import io.tunnelgate.testsupport.TestProxy;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The strict CONNECT request line and the Host rules (spec §3.1, §3.2): every malformed request
 * gets nginx's 400 page with {@code Connection: close}, the connection closes, the access log has
 * status 400 and the error log nginx's info line.
 */
class BadRequestTest {
    private static final String CONFIG = """
            http {
                log_format t '"$request" $status $bytes_sent $body_bytes_sent';
                access_log ${DIR}/access.log t;
                error_log ${DIR}/error.log info;
                server {
                    listen 127.0.0.1:${PORT};
                    server_name proxy.test;
                    proxy_connect;
                    proxy_connect_allow all;
                    location = /x { return 200 "x"; }
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

    /** Request lines the core patch rejects, with the info message nginx logs for each. */
    static Stream<Arguments> badRequestLines() {
        String host = "client sent invalid host in request line";
        String port = "client sent invalid port in request line";
        return Stream.of(
                Arguments.of("CONNECT / HTTP/1.1", host),
                Arguments.of("CONNECT example.com HTTP/1.1", host),
                Arguments.of("CONNECT [::1] HTTP/1.1", host),
                Arguments.of("CONNECT example.com: HTTP/1.1", port),
                Arguments.of("CONNECT example.com:0 HTTP/1.1", port),
                Arguments.of("CONNECT example.com:65536 HTTP/1.1", port),
                Arguments.of("CONNECT example.com:44x3 HTTP/1.1", port),
                Arguments.of("CONNECT ex_ample.com:443 HTTP/1.1", host),
                Arguments.of("CONNECT ex/ample.com:443 HTTP/1.1", host),
                Arguments.of("CONNECT ex%61mple.com:443 HTTP/1.1", host),
                Arguments.of("CONNECT user@example.com:443 HTTP/1.1", host),
                Arguments.of("CONNECT *.example.com:443 HTTP/1.1", host),
                Arguments.of("CONNECT http://example.com:443/ HTTP/1.1", port),
                Arguments.of("CONNECT a..b:443 HTTP/1.1", host),
                Arguments.of("CONNECT [::1:443 HTTP/1.1", host),
                Arguments.of("connect example.com:443 HTTP/1.1", "client sent invalid method"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRequestLines")
    void badConnectLineIs400AndCloses(String line, String message) throws Exception {
        Logs logs = Logs.mark(proxy);
        Reply reply = exchange(line + "\r\nHost: example.com:443\r\n\r\n");
        reply.assertPage("HTTP/1.1 400 Bad Request", "400 Bad Request", true);
        assertLogged(logs, line, reply, message);
    }

    /** Without a version the line is HTTP/0.9, which nginx allows for GET only. */
    @Test
    void versionlessConnectLineIsRefused() throws Exception {
        Logs logs = Logs.mark(proxy);
        Reply reply = exchange("CONNECT example.com:443\r\n");
        reply.assertPage("HTTP/1.1 400 Bad Request", "400 Bad Request", true);
        assertThat(logs.accessLine()).as("nginx logs the line it could not parse")
                .isEqualTo("\"CONNECT example.com:443\" 400 " + reply.wireLength() + " " + reply.body().length());
        logs.errorLine("info", "client sent invalid request");
    }

    /**
     * A TLS ClientHello sent to a plain proxy port (a client configured for an HTTPS proxy) is
     * refused at its first byte, as nginx refuses it, instead of waiting for a request line that
     * never comes; the log shows the bytes received, escaped.
     */
    @Test
    void tlsHandshakeOnThePlainPortIsRefusedAtOnce() throws Exception {
        Logs logs = Logs.mark(proxy);
        byte[] hello = {0x16, 0x03, 0x01, 0x00, (byte) 0xa5, 0x01, 0x00, 0x00, (byte) 0xa1, 0x03, 0x03};
        try (RawClient client = RawClient.connect(proxy.address())) {
            client.send(hello);
            Reply reply = Reply.read(client);
            reply.assertPage("HTTP/1.1 400 Bad Request", "400 Bad Request", true);
            assertThat(client.awaitEof()).isTrue();
            assertThat(logs.accessLine()).startsWith("\"\\x16\\x03\\x01\\x00\\xA5\\x01\\x00\\x00\\xA1\\x03\\x03\" 400 ");
        }
        logs.errorLine("info", "client sent invalid method");
    }

    @Test
    void http10ConnectWithoutHostIsAccepted() throws Exception {
        Logs logs = Logs.mark(proxy);
        // accepted: it gets as far as the resolver, which this server lacks
        Reply reply = exchange("CONNECT example.com:443 HTTP/1.0\r\n\r\n");
        reply.assertPage("HTTP/1.1 502 Bad Gateway", "502 Bad Gateway", true);
        assertThat(logs.accessLine()).startsWith("\"CONNECT example.com:443 HTTP/1.0\" 502 ");
        logs.errorLine("error", "proxy_connect: no resolver defined to resolve example.com");
    }

    @Test
    void http11ConnectWithoutHostIs400() throws Exception {
        Logs logs = Logs.mark(proxy);
        Reply reply = exchange("CONNECT example.com:443 HTTP/1.1\r\n\r\n");
        reply.assertPage("HTTP/1.1 400 Bad Request", "400 Bad Request", true);
        assertLogged(logs, "CONNECT example.com:443 HTTP/1.1", reply,
                "client sent HTTP/1.1 request without \"Host\" header");
    }

    @Test
    void invalidHostHeaderIs400() throws Exception {
        Logs logs = Logs.mark(proxy);
        Reply reply = exchange("CONNECT example.com:443 HTTP/1.1\r\nHost: a..b\r\n\r\n");
        reply.assertPage("HTTP/1.1 400 Bad Request", "400 Bad Request", true);
        assertLogged(logs, "CONNECT example.com:443 HTTP/1.1", reply, "client sent invalid host header");
    }

    @Test
    void duplicateHostHeadersAre400() throws Exception {
        Logs logs = Logs.mark(proxy);
        Reply reply = exchange("CONNECT example.com:443 HTTP/1.1\r\nHost: a.test\r\nHost: b.test\r\n\r\n");
        reply.assertPage("HTTP/1.1 400 Bad Request", "400 Bad Request", true);
        assertLogged(logs, "CONNECT example.com:443 HTTP/1.1", reply,
                "client sent duplicate host header: \"Host: b.test\", previous value: \"Host: a.test\"");
    }

    @Test
    void getWithBadHostHeaderIs400Too() throws Exception {
        Logs logs = Logs.mark(proxy);
        Reply reply = exchange("GET /x HTTP/1.1\r\nHost: bad/host\r\n\r\n");
        reply.assertPage("HTTP/1.1 400 Bad Request", "400 Bad Request", true);
        assertLogged(logs, "GET /x HTTP/1.1", reply, "client sent invalid host header");
    }

    /** Sends {@code request} on a new connection, reads the response and checks the proxy then closes. */
    private static Reply exchange(String request) throws Exception {
        try (RawClient client = RawClient.connect(proxy.address())) {
            client.send(request);
            Reply reply = Reply.read(client);
            assertThat(client.awaitEof()).as("closed after the response").isTrue();
            return reply;
        }
    }

    /** The access line ($request, 400, bytes sent) and the error line (info, message, request). */
    private static void assertLogged(Logs logs, String line, Reply reply, String message) {
        assertThat(logs.accessLine())
                .isEqualTo("\"" + line + "\" 400 " + reply.wireLength() + " " + reply.body().length());
        assertThat(logs.errorLine("info", message)).contains("server: proxy.test, request: \"" + line + "\"");
    }
}
