package io.tunnelgate.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.tunnelgate.testsupport.RawClient;
import io.tunnelgate.testsupport.TestProxy;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * nginx's error pages and {@code server_tokens} (spec §3.9): {@code Server: tunnelgate/VERSION}
 * and the same footer by default, plain {@code tunnelgate} with {@code server_tokens off}, taken
 * from the level that served the request: the default server before a Host is known, then the
 * chosen server, then the location.
 */
class ServerTokensTest {
    private static final String CONFIG = """
            http {
                access_log off;
                error_log ${DIR}/error.log;
                server {
                    listen 127.0.0.1:${PORT};
                    server_name quiet.test;
                    server_tokens off;
                    proxy_connect;
                    location / { return 200 "quiet"; }
                }
                server {
                    listen 127.0.0.1:${PORT};
                    server_name loud.test;
                    proxy_connect;
                    location /hidden { server_tokens off; return 404; }
                    location /shown { return 404; }
                }
                server {
                    listen 127.0.0.1:${PORT};
                    server_name quiet-plain.test;
                    server_tokens off;
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
    void badRequestUsesTheDefaultServersTokens() throws Exception {
        exchange("CONNECT a_b:443 HTTP/1.1\r\nHost: loud.test\r\n\r\n")
                .assertPage("HTTP/1.1 400 Bad Request", "400 Bad Request", true, false);
    }

    @Test
    void forbiddenPortOnAQuietServer() throws Exception {
        exchange("CONNECT a.test:22 HTTP/1.1\r\nHost: quiet.test\r\n\r\n")
                .assertPage("HTTP/1.1 403 Forbidden", "403 Forbidden", false, false);
    }

    @Test
    void forbiddenPortOnALoudServer() throws Exception {
        exchange("CONNECT a.test:22 HTTP/1.1\r\nHost: loud.test\r\n\r\n")
                .assertPage("HTTP/1.1 403 Forbidden", "403 Forbidden", false, true);
    }

    @Test
    void notAllowedOnAQuietServer() throws Exception {
        exchange("CONNECT a.test:443 HTTP/1.1\r\nHost: quiet-plain.test\r\n\r\n")
                .assertPage("HTTP/1.1 405 Not Allowed", "405 Not Allowed", false, false);
    }

    @Test
    void badGatewayOnAQuietServer() throws Exception {
        exchange("CONNECT a.test:443 HTTP/1.1\r\nHost: quiet.test\r\n\r\n")
                .assertPage("HTTP/1.1 502 Bad Gateway", "502 Bad Gateway", false, false);
    }

    @Test
    void returnedTextOnAQuietServerHasThePlainServerHeader() throws Exception {
        Reply reply = exchange("GET / HTTP/1.1\r\nHost: quiet.test\r\n\r\n");
        reply.assertMade("HTTP/1.1 200 OK", false, false);
        assertThat(reply.body()).isEqualTo("quiet");
    }

    @Test
    void locationLevelTokensOverrideTheServers() throws Exception {
        exchange("GET /hidden HTTP/1.1\r\nHost: loud.test\r\n\r\n")
                .assertPage("HTTP/1.1 404 Not Found", "404 Not Found", false, false);
        exchange("GET /shown HTTP/1.1\r\nHost: loud.test\r\n\r\n")
                .assertPage("HTTP/1.1 404 Not Found", "404 Not Found", false, true);
    }

    @Test
    void pageIsNginxsShapeByteForByte() throws Exception {
        Reply reply = exchange("GET /shown HTTP/1.1\r\nHost: loud.test\r\n\r\n");
        assertThat(reply.body()).isEqualTo("<html>\r\n"
                + "<head><title>404 Not Found</title></head>\r\n"
                + "<body>\r\n"
                + "<center><h1>404 Not Found</h1></center>\r\n"
                + "<hr><center>tunnelgate/" + io.tunnelgate.Version.VERSION + "</center>\r\n"
                + "</body>\r\n"
                + "</html>\r\n");
        assertThat(reply.headerNames()).containsExactly("Server", "Date", "Content-Type", "Content-Length",
                "Connection");
    }

    private static Reply exchange(String request) throws Exception {
        try (RawClient client = RawClient.connect(proxy.address())) {
            client.send(request);
            return Reply.read(client);
        }
    }
}
