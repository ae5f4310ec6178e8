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
 * Which server block answers (spec §3.2, §7 listen): for CONNECT and origin-form requests the
 * Host header picks it by server_name (exact, leading wildcard, trailing wildcard, regex, in that
 * order), never the CONNECT request-line host; an absolute-form request is picked by its URI's
 * host; anything else goes to the default_server. Every server answers with a server-level
 * {@code return} that names itself and {@code $host}.
 */
class ServerSelectionTest {
    private static final String CONFIG = """
            http {
                log_format t '"$request" $status $host $server_name';
                access_log ${DIR}/access.log t;
                server {
                    listen 127.0.0.1:${PORT};
                    server_name first.test;
                    proxy_connect;
                    return 200 "first $host\\n";
                }
                server {
                    listen 127.0.0.1:${PORT} default_server;
                    server_name default.test;
                    proxy_connect;
                    return 200 "default $host\\n";
                }
                server {
                    listen 127.0.0.1:${PORT};
                    server_name *.wild.test;
                    proxy_connect;
                    return 200 "leading $host\\n";
                }
                server {
                    listen 127.0.0.1:${PORT};
                    server_name *.deeper.wild.test;
                    proxy_connect;
                    return 200 "longer-leading $host\\n";
                }
                server {
                    listen 127.0.0.1:${PORT};
                    server_name exact.wild.test;
                    proxy_connect;
                    return 200 "exact $host\\n";
                }
                server {
                    listen 127.0.0.1:${PORT};
                    server_name www.trail.*;
                    proxy_connect;
                    return 200 "trailing $host\\n";
                }
                server {
                    listen 127.0.0.1:${PORT};
                    server_name ~^re\\d+\\.(wild\\.)?test$;
                    proxy_connect;
                    return 200 "regex $host\\n";
                }
                server {
                    listen 127.0.0.1:${PORT};
                    server_name noconnect.test;
                    return 200 "noconnect $host\\n";
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

    @ParameterizedTest(name = "Host: {0}")
    @CsvSource({
        "first.test, first first.test",
        "First.TEST:8443, first first.test",
        "first.test., first first.test",
        "unknown.test, default unknown.test",
        "default.test, default default.test",
        "a.wild.test, leading a.wild.test",
        "x.y.deeper.wild.test, longer-leading x.y.deeper.wild.test",
        "exact.wild.test, exact exact.wild.test",
        "re7.wild.test, leading re7.wild.test",
        "www.trail.org, trailing www.trail.org",
        "www.trail.co.uk, trailing www.trail.co.uk",
        "re42.test, regex re42.test",
        "re.test, default re.test",
        "127.0.0.1, default 127.0.0.1",
    })
    void connectIsServedByTheServerItsHostHeaderNames(String host, String answer) throws Exception {
        // the request-line host names another server on purpose
        assertThat(connect("CONNECT first.test:443 HTTP/1.1\r\nHost: " + host + "\r\n\r\n")).isEqualTo(answer);
    }

    @Test
    void requestLineHostDoesNotChooseTheServer() throws Exception {
        Logs logs = Logs.mark(proxy);
        assertThat(connect("CONNECT noconnect.test:443 HTTP/1.1\r\nHost: first.test\r\n\r\n"))
                .isEqualTo("first first.test");
        assertThat(logs.accessLine()).isEqualTo("\"CONNECT noconnect.test:443 HTTP/1.1\" 200 first.test first.test");
    }

    @Test
    void hostHeaderNamingAServerWithoutProxyConnectGives405() throws Exception {
        Logs logs = Logs.mark(proxy);
        try (RawClient client = RawClient.connect(proxy.address())) {
            client.send("CONNECT first.test:443 HTTP/1.1\r\nHost: noconnect.test\r\n\r\n");
            Reply.read(client).assertPage("HTTP/1.1 405 Not Allowed", "405 Not Allowed", false);
        }
        assertThat(logs.accessLine())
                .isEqualTo("\"CONNECT first.test:443 HTTP/1.1\" 405 noconnect.test noconnect.test");
    }

    @Test
    void withoutHostTheDefaultServerAnswersAndHostIsItsName() throws Exception {
        Logs logs = Logs.mark(proxy);
        assertThat(connect("CONNECT first.test:443 HTTP/1.0\r\n\r\n")).isEqualTo("default default.test");
        assertThat(logs.accessLine()).isEqualTo("\"CONNECT first.test:443 HTTP/1.0\" 200 default.test default.test");
    }

    @Test
    void originFormGetIsServedByItsHostHeader() throws Exception {
        assertThat(connect("GET /p HTTP/1.1\r\nHost: www.trail.net\r\n\r\n")).isEqualTo("trailing www.trail.net");
    }

    @Test
    void absoluteFormGetIsServedByItsUriHostNotTheHostHeader() throws Exception {
        Logs logs = Logs.mark(proxy);
        assertThat(connect("GET http://First.Test:8080/p?q HTTP/1.1\r\nHost: default.test\r\n\r\n"))
                .isEqualTo("first first.test");
        assertThat(logs.accessLine())
                .isEqualTo("\"GET http://First.Test:8080/p?q HTTP/1.1\" 200 first.test first.test");
    }

    /**
     * Sends one request on a new connection and returns the body without its final newline, once
     * the request is in the access log.
     */
    private static String connect(String request) throws Exception {
        Logs logs = Logs.mark(proxy);
        try (RawClient client = RawClient.connect(proxy.address())) {
            client.send(request);
            Reply reply = Reply.read(client);
            // awaited so that it cannot turn up among the next test's lines
            logs.accessLine();
            assertThat(reply.statusLine()).isEqualTo("HTTP/1.1 200 OK");
            assertThat(reply.body()).endsWith("\n");
            return reply.body().substring(0, reply.body().length() - 1);
        }
    }
}
