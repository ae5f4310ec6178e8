package io.tunnelgate.forward;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tunnelgate.testsupport.HttpOrigin;
import io.tunnelgate.testsupport.OriginResponse;
import io.tunnelgate.testsupport.RawClient;
import io.tunnelgate.testsupport.TestProxy;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * proxy_pass to upstream blocks and static URLs: round-robin over a group's servers, the next
 * server after a refused one (both attempts in {@code $upstream_addr} and
 * {@code $upstream_status}), a static URI part replacing the location's prefix, and the
 * location's auto-redirect; {@code proxy_next_upstream}: a 502 answer passed over only when the
 * directive names it, and {@code proxy_next_upstream_tries} ending the search.
 */
class UpstreamForwardTest {
    private static final String CONFIG = """
            http {
                log_format up '$request_uri $status "$upstream_addr" "$upstream_status" $proxy_host';
                access_log ${DIR}/access.log up;
                error_log ${DIR}/error.log info;
                upstream pair { server 127.0.0.1:A; server 127.0.0.1:B; keepalive 4; }
                upstream withdead { server 127.0.0.1:DEAD; server 127.0.0.1:A; }
                upstream bad502 { server 127.0.0.1:BAD; server 127.0.0.1:A; }
                upstream bad502b { server 127.0.0.1:BAD; server 127.0.0.1:A; }
                upstream deadonce { server 127.0.0.1:DEAD; server 127.0.0.1:A; }
                server {
                    listen 127.0.0.1:${PORT};
                    location /pair/ { proxy_pass http://pair; }
                    location /dead/ { proxy_pass http://withdead; }
                    location /static/ { proxy_pass http://127.0.0.1:A/base/; }
                    location /on502/ { proxy_pass http://bad502; proxy_next_upstream error http_502; }
                    location /default502/ { proxy_pass http://bad502b; }
                    location /onetry/ { proxy_pass http://deadonce; proxy_next_upstream_tries 1; }
                }
            }
            """;

    @TempDir
    static Path dir;
    private static TestProxy proxy;
    private static HttpOrigin a;
    private static HttpOrigin b;
    private static HttpOrigin bad;
    private static int dead;

    @BeforeAll
    static void start() throws Exception {
        a = new HttpOrigin(r -> OriginResponse.ok("a " + r.target()));
        b = new HttpOrigin(r -> OriginResponse.ok("b " + r.target()));
        bad = new HttpOrigin(r -> OriginResponse.of(502, "bad " + r.target()));
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            dead = s.getLocalPort();
        }
        proxy = TestProxy.start(dir, CONFIG.replace(":A;", ":" + a.port() + ";").replace(":A/", ":" + a.port() + "/")
                .replace(":B;", ":" + b.port() + ";").replace(":DEAD;", ":" + dead + ";").replace(":BAD;", ":" + bad.port() + ";"));
    }

    @AfterAll
    static void stop() throws Exception {
        proxy.close();
        a.close();
        b.close();
        bad.close();
    }

    private static String get(RawClient c, String path) throws Exception {
        c.send("GET " + path + " HTTP/1.1\r\nHost: proxy.test\r\n\r\n");
        return c.readResponse();
    }

    @Test
    void roundRobinSpreadsOverTheGroupAndKeepsConnections() throws Exception {
        int before = a.requests().size() + b.requests().size();
        try (RawClient c = RawClient.connect(proxy.address())) {
            StringBuilder bodies = new StringBuilder();
            for (int i = 0; i < 4; i++) {
                String r = get(c, "/pair/" + i);
                bodies.append(r.charAt(r.length() - 9));
            }
            assertThat(bodies.toString()).matches("abab|baba");
        }
        assertThat(a.requests().size() + b.requests().size() - before).isEqualTo(4);
        assertThat(a.accepted() + b.accepted()).isLessThanOrEqualTo(4);
    }

    @Test
    void aRefusedServerPassesTheRequestToTheNext() throws Exception {
        try (RawClient c = RawClient.connect(proxy.address())) {
            assertThat(get(c, "/dead/x")).startsWith("HTTP/1.1 200 OK\r\n").endsWith("a /dead/x");
        }
        await().atMost(10, SECONDS).untilAsserted(() -> assertThat(proxy.lines("access.log")).contains(
                "/dead/x 200 \"127.0.0.1:" + dead + ", 127.0.0.1:" + a.port() + "\" \"502, 200\" withdead"));
        assertThat(proxy.lines("error.log")).anyMatch(l -> l.contains("connect() failed (111: Connection refused)")
                && l.contains("upstream: \"http://127.0.0.1:" + dead + "/dead/x\""));
    }

    @Test
    void a502IsPassedToTheNextServerWhenProxyNextUpstreamNamesIt() throws Exception {
        try (RawClient c = RawClient.connect(proxy.address())) {
            assertThat(get(c, "/on502/x")).startsWith("HTTP/1.1 200 OK\r\n").endsWith("a /on502/x");
        }
        await().atMost(10, SECONDS).untilAsserted(() -> assertThat(proxy.lines("access.log")).contains(
                "/on502/x 200 \"127.0.0.1:" + bad.port() + ", 127.0.0.1:" + a.port() + "\" \"502, 200\" bad502"));
    }

    @Test
    void a502IsTheAnswerWhenProxyNextUpstreamDoesNotNameIt() throws Exception {
        try (RawClient c = RawClient.connect(proxy.address())) {
            assertThat(get(c, "/default502/x")).startsWith("HTTP/1.1 502 Bad Gateway\r\n").endsWith("bad /default502/x");
        }
        await().atMost(10, SECONDS).untilAsserted(() -> assertThat(proxy.lines("access.log")).contains(
                "/default502/x 502 \"127.0.0.1:" + bad.port() + "\" \"502\" bad502b"));
    }

    @Test
    void proxyNextUpstreamTriesEndsTheSearch() throws Exception {
        try (RawClient c = RawClient.connect(proxy.address())) {
            assertThat(get(c, "/onetry/x")).startsWith("HTTP/1.1 502 Bad Gateway\r\n");
        }
        await().atMost(10, SECONDS).untilAsserted(() -> assertThat(proxy.lines("access.log")).contains(
                "/onetry/x 502 \"127.0.0.1:" + dead + "\" \"502\" deadonce"));
    }

    @Test
    void aStaticUriPartReplacesTheLocationPrefix() throws Exception {
        try (RawClient c = RawClient.connect(proxy.address())) {
            assertThat(get(c, "/static/x%20y?q=1")).endsWith("a /base/x%20y?q=1");
        }
    }

    @Test
    void theLocationNameWithoutItsSlashIsRedirected() throws Exception {
        try (RawClient c = RawClient.connect(proxy.address())) {
            String r = get(c, "/static?q=1");
            assertThat(r).startsWith("HTTP/1.1 301 Moved Permanently\r\n")
                    .contains("\r\nLocation: http://proxy.test:" + proxy.port() + "/static/?q=1\r\n");
        }
    }
}
