package io.tunnelgate.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.tunnelgate.testsupport.RawClient;
import io.tunnelgate.testsupport.TestProxy;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code server_name} selection in nginx's order: exact name, then the longest leading wildcard
 * ({@code *.x}, {@code .x}), then the longest trailing wildcard ({@code www.x.*}), then the first
 * matching regex in config order, else the default server. Each server answers a GET with its own
 * name through a server-level {@code return}.
 */
class ServerNameTest {
    private static final String CONFIG = """
            http {
                access_log off;
                server {
                    listen 127.0.0.1:${PORT};
                    server_name _;
                    return 200 "default";
                }
                server {
                    listen 127.0.0.1:${PORT};
                    server_name example.com www.example.com;
                    return 200 "exact";
                }
                server {
                    listen 127.0.0.1:${PORT};
                    server_name *.example.com;
                    return 200 "star-com";
                }
                server {
                    listen 127.0.0.1:${PORT};
                    server_name *.deep.example.com;
                    return 200 "star-deep";
                }
                server {
                    listen 127.0.0.1:${PORT};
                    server_name .example.org;
                    return 200 "dot-org";
                }
                server {
                    listen 127.0.0.1:${PORT};
                    server_name www.example.*;
                    return 200 "www-star";
                }
                server {
                    listen 127.0.0.1:${PORT};
                    server_name "~^api(\\d+)\\.example\\.net$";
                    return 200 "regex-api";
                }
                server {
                    listen 127.0.0.1:${PORT};
                    server_name ~example;
                    return 200 "regex-any";
                }
                server {
                    listen 127.0.0.1:${PORT};
                    server_name proxy.test;
                    proxy_connect;
                    proxy_connect_allow all;
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

    @ParameterizedTest(name = "Host: {0} -> {1}")
    @CsvSource({
        "example.com, exact",
        "EXAMPLE.COM:8080, exact",
        "example.com., exact",
        "www.example.com, exact",
        "a.example.com, star-com",
        "a.b.example.com, star-com",
        "deep.example.com, star-com",
        "x.deep.example.com, star-deep",
        "example.org, dot-org",
        "a.b.example.org, dot-org",
        "www.example.org, dot-org",
        "www.example.net, www-star",
        "api7.example.net, regex-api",
        "api.example.net, regex-any",
        "foo.example.io, regex-any",
        "unknown.test, default",
        "com, default"})
    void theServerIsChosenByHostInNginxsOrder(String host, String server) throws Exception {
        assertThat(Ask.server(proxy.address(), host)).isEqualTo(server);
    }

    @ParameterizedTest(name = "CONNECT with Host: {0} -> {1}")
    @CsvSource({
        "proxy.test, 502",
        "example.com, 405",
        "unknown.test, 405"})
    void connectIsRoutedByTheHostHeaderToo(String host, int status) throws Exception {
        // proxy.test tunnels (and port 1 on loopback refuses: 502); the others have no proxy_connect
        try (RawClient client = RawClient.connect(proxy.address())) {
            client.send("CONNECT 127.0.0.1:1 HTTP/1.1\r\nHost: " + host + "\r\n\r\n");
            assertThat(RawClient.status(client.readResponse())).isEqualTo(status);
        }
    }
}
