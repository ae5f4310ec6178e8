package io.tunnelgate.forward;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.tunnelgate.config.ConfigException;
import io.tunnelgate.testsupport.Curl;
import io.tunnelgate.testsupport.HttpOrigin;
import io.tunnelgate.testsupport.OriginResponse;
import io.tunnelgate.testsupport.RecordedRequest;
import io.tunnelgate.testsupport.TestProxy;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code add_header [always]} on Tunnelgate's own responses and on forwarded ones (nginx's list of
 * statuses without {@code always}, a level's headers replacing the inherited ones, an empty value
 * adding nothing), and {@code $sent_http_NAME} reading the head as the client got it.
 */
class AddHeaderTest {
    private static final String CONFIG = """
            http {
                log_format sent '$uri $status ct=$sent_http_content_type conn=$sent_http_connection '
                                'a=$sent_http_x_a b=$sent_http_x_b up=$sent_http_x_up srv=$sent_http_server '
                                'hidden=$sent_http_x_accel_buffering via=$sent_http_via te=$sent_http_transfer_encoding';
                access_log ${DIR}/access.log sent;
                add_header X-A "http-level";
                server_tokens off;
                server {
                    listen 127.0.0.1:${PORT};
                    location = /own { return 200 "own"; }
                    location = /missing { return 404; }
                    location /replaced/ {
                        add_header X-B "b $arg_v";
                        add_header X-Always "yes" always;
                        add_header X-Empty "$arg_none";
                        return 200 "replaced";
                    }
                    location /up/ {
                        proxy_pass http://$host;
                        add_header X-B "from-proxy";
                        add_header X-Always "err" always;
                    }
                }
            }
            """;

    @TempDir
    static Path dir;
    private static TestProxy proxy;
    private static HttpOrigin origin;

    @BeforeAll
    static void start() {
        proxy = TestProxy.start(dir, CONFIG);
        origin = new HttpOrigin(AddHeaderTest::answer);
    }

    @AfterAll
    static void stop() throws Exception {
        proxy.close();
        origin.close();
    }

    private static OriginResponse answer(RecordedRequest r) {
        int status = r.target().startsWith("/up/404") ? 404 : 200;
        return OriginResponse.of(status, "origin").withHeader("X-Up", "u1").withHeader("X-Up", "u2")
                .withHeader("X-Accel-Buffering", "no").withHeader("Via", "1.0 upstream-proxy");
    }

    private static String get(String path) {
        Curl.Result r = Curl.run("-sS", "-i", "http://127.0.0.1:" + proxy.port() + path);
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        return r.stdout();
    }

    private static String viaProxy(String path) {
        Curl.Result r = Curl.run("-sS", "-i", "-x", "http://127.0.0.1:" + proxy.port(),
                "http://127.0.0.1:" + origin.port() + path);
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        return r.stdout();
    }

    private static void logged(String line) {
        await().atMost(10, SECONDS).untilAsserted(() -> assertThat(proxy.lines("access.log")).contains(line));
    }

    @Test
    void inheritedHeaderOnOwn200AndItsSentValue() {
        String r = get("/own");
        assertThat(r).startsWith("HTTP/1.1 200 OK\r\n").contains("\r\nX-A: http-level\r\n");
        logged("/own 200 ct=text/plain conn=keep-alive a=http-level b=- up=- srv=tunnelgate hidden=- via=- te=-");
    }

    @Test
    void notOnAnErrorWithoutAlways() {
        String r = get("/missing");
        assertThat(r).startsWith("HTTP/1.1 404 Not Found\r\n").doesNotContain("X-A:");
        logged("/missing 404 ct=text/html conn=keep-alive a=- b=- up=- srv=tunnelgate hidden=- via=- te=-");
    }

    @Test
    void levelReplacesInheritedAndEmptyAddsNothing() {
        String r = get("/replaced/x?v=7");
        assertThat(r).contains("\r\nX-B: b 7\r\n").contains("\r\nX-Always: yes\r\n")
                .doesNotContain("X-A:").doesNotContain("X-Empty");
        logged("/replaced/x 200 ct=text/plain conn=keep-alive a=- b=b 7 up=- srv=tunnelgate hidden=- via=- te=-");
    }

    @Test
    void forwardedResponseGetsHeadersAfterTheUpstreamOnes() {
        String r = viaProxy("/up/ok");
        String head = r.substring(0, r.indexOf("\r\n\r\n"));
        assertThat(head).contains("\r\nX-Up: u1\r\nX-Up: u2\r\n").contains("\r\nX-B: from-proxy\r\n")
                .contains("\r\nX-Always: err\r\n").doesNotContain("X-A:").doesNotContain("X-Accel-Buffering");
        assertThat(head.indexOf("X-B:")).isGreaterThan(head.indexOf("X-Up: u2"));
        logged("/up/ok 200 ct=- conn=keep-alive a=- b=from-proxy up=u1, u2 srv=tunnelgate hidden=- "
                + "via=1.0 upstream-proxy, 1.1 tunnelgate te=-");
    }

    @Test
    void forwardedErrorGetsOnlyTheAlwaysHeader() {
        String r = viaProxy("/up/404");
        assertThat(r).startsWith("HTTP/1.1 404 ").contains("\r\nX-Always: err\r\n").doesNotContain("X-B:");
        logged("/up/404 404 ct=- conn=keep-alive a=- b=- up=u1, u2 srv=tunnelgate hidden=- "
                + "via=1.0 upstream-proxy, 1.1 tunnelgate te=-");
    }

    @Test
    void badArgumentsNameTheLine() {
        assertThatThrownBy(() -> TestProxy.start(dir, "http {\n add_header X-A v sometimes;\n}\n"))
                .hasCauseInstanceOf(ConfigException.class)
                .hasMessageMatching("invalid parameter \"sometimes\" in .*:2");
        assertThatThrownBy(() -> TestProxy.start(dir, "http {\n\n add_header \"X A\" v;\n}\n"))
                .hasCauseInstanceOf(ConfigException.class)
                .hasMessageMatching("invalid header name \"X A\" in .*:3");
    }
}
