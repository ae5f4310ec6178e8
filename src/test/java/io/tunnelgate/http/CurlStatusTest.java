package io.tunnelgate.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.tunnelgate.Version;
import io.tunnelgate.testsupport.Curl;
import io.tunnelgate.testsupport.StubDnsServer;
import io.tunnelgate.testsupport.TestProxy;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same statuses as the raw-socket tests, seen by the real {@code curl}: what its
 * {@code %{http_connect}} reports for a refused CONNECT and what it logs, and plain requests to
 * the proxy as a server (origin-form and absolute-form, HEAD, HTTP/1.0).
 */
class CurlStatusTest {
    private static final String CONFIG = """
            http {
                log_format t '"$request" $status $bytes_sent $body_bytes_sent $host';
                access_log ${DIR}/access.log t;
                error_log ${DIR}/error.log info;
                server {
                    listen 127.0.0.1:${PORT};
                    server_name proxy.test;
                    proxy_connect;
                    resolver 127.0.0.1:%d ipv6=off;
                    location = /x { return 200 "text"; }
                }
                server {
                    listen 127.0.0.1:${PORT};
                    server_name forbidden.example.com;
                    return 200 "never for CONNECT";
                }
                server {
                    listen 127.0.0.1:${PORT};
                    server_name abs.test;
                    location / { return 200 "abs $request_uri"; }
                }
            }
            """;

    @TempDir
    static Path dir;
    private static StubDnsServer dns;
    private static TestProxy proxy;

    @BeforeAll
    static void start() {
        Assumptions.assumeTrue(Curl.available(), "curl is not installed");
        dns = StubDnsServer.start().rcode("nx.test", StubDnsServer.Rcode.NXDOMAIN);
        proxy = TestProxy.start(dir, CONFIG.formatted(dns.address().getPort()));
    }

    @AfterAll
    static void stop() {
        if (proxy != null) {
            proxy.close();
        }
        if (dns != null) {
            dns.close();
        }
    }

    @Test
    void portOutsideTheAllowListFailsTheTunnelWith403() {
        Logs logs = Logs.mark(proxy);
        Curl.Result r = viaProxy("https://127.0.0.1:22/");
        assertThat(r.stdout()).isEqualTo("403");
        assertThat(r.exitCode()).isEqualTo(56);
        assertThat(r.stderr()).contains("CONNECT tunnel failed, response 403");
        assertThat(logs.accessLine()).startsWith("\"CONNECT 127.0.0.1:22 HTTP/1.1\" 403 ");
        assertThat(logs.newErrorLines()).isEmpty();
    }

    @Test
    void hostOfAServerWithoutProxyConnectFailsWith405() {
        Logs logs = Logs.mark(proxy);
        Curl.Result r = viaProxy("https://forbidden.example.com/");
        assertThat(r.stdout()).isEqualTo("405");
        assertThat(r.stderr()).contains("CONNECT tunnel failed, response 405");
        assertThat(logs.accessLine()).startsWith("\"CONNECT forbidden.example.com:443 HTTP/1.1\" 405 ")
                .endsWith(" " + Reply.page("405 Not Allowed", true).length() + " forbidden.example.com");
        logs.errorLine("info", "proxy_connect: client sent connect method");
    }

    @Test
    void unresolvableNameFailsWith502() {
        Logs logs = Logs.mark(proxy);
        Curl.Result r = viaProxy("https://nx.test/");
        assertThat(r.stdout()).isEqualTo("502");
        assertThat(r.stderr()).contains("CONNECT tunnel failed, response 502");
        assertThat(logs.accessLine()).startsWith("\"CONNECT nx.test:443 HTTP/1.1\" 502 ");
        logs.errorLine("error", "proxy_connect: nx.test could not be resolved (3: Host not found)");
    }

    @Test
    void plainGetToTheProxyIsServedByItsLocation() {
        Logs logs = Logs.mark(proxy);
        Curl.Result r = Curl.run("-w", "\n%{http_code} %{num_connects}",
                "http://127.0.0.1:" + proxy.port() + "/x", "http://127.0.0.1:" + proxy.port() + "/x");
        assertThat(r.exitCode()).isZero();
        // the second request reuses the kept-alive connection
        assertThat(r.stdout()).isEqualTo("text\n200 1text\n200 0");
        assertThat(logs.accessLines(2)).allMatch(l -> l.startsWith("\"GET /x HTTP/1.1\" 200 "));
    }

    @Test
    void headGetsHeadersWithTheBodyLength() {
        Logs logs = Logs.mark(proxy);
        Curl.Result r = Curl.run("-I", "http://127.0.0.1:" + proxy.port() + "/x");
        assertThat(r.exitCode()).isZero();
        assertThat(r.stdout()).startsWith("HTTP/1.1 200 OK\r\n").contains("\r\nContent-Length: 4\r\n")
                .contains("\r\nServer: tunnelgate/" + Version.VERSION + "\r\n").endsWith("\r\n\r\n");
        assertThat(logs.accessLine()).isEqualTo("\"HEAD /x HTTP/1.1\" 200 " + r.stdout().length() + " 0 127.0.0.1");
    }

    @Test
    void http10RequestIsAnsweredWithClose() {
        Logs logs = Logs.mark(proxy);
        Curl.Result r = Curl.run("--http1.0", "-i", "http://127.0.0.1:" + proxy.port() + "/x");
        assertThat(r.exitCode()).isZero();
        assertThat(r.stdout()).startsWith("HTTP/1.1 200 OK\r\n").contains("\r\nConnection: close\r\n")
                .endsWith("\r\n\r\ntext");
        assertThat(logs.accessLine()).isEqualTo("\"GET /x HTTP/1.0\" 200 " + r.stdout().length() + " 4 127.0.0.1");
    }

    @Test
    void absoluteFormRequestIsServedByItsUriHost() {
        Logs logs = Logs.mark(proxy);
        Curl.Result r = Curl.run("-x", "http://127.0.0.1:" + proxy.port(), "http://abs.test/p?q=1");
        assertThat(r.exitCode()).isZero();
        assertThat(r.stdout()).isEqualTo("abs /p?q=1");
        assertThat(logs.accessLine()).startsWith("\"GET http://abs.test/p?q=1 HTTP/1.1\" 200 ").endsWith(" abs.test");
    }

    /** curl through the proxy, printing only the CONNECT response's status. */
    private static Curl.Result viaProxy(String url) {
        return Curl.run("-x", "http://127.0.0.1:" + proxy.port(), "-o", "/dev/null", "-w", "%{http_connect}", url);
    }
}
