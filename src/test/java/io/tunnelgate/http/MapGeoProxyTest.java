package io.tunnelgate.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tunnelgate.testsupport.EchoServer;
import io.tunnelgate.testsupport.RawClient;
import io.tunnelgate.testsupport.StubDnsServer;
import io.tunnelgate.testsupport.TestProxy;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code map} and {@code geo} on a running proxy, in the ways the module's users write them: the
 * README's destination allow-list (a hostnames map and a server-level {@code if}), a per-host
 * timeout through {@code set $proxy_connect_*_timeout}, a target chosen with a regex capture, and
 * a client class from {@code geo} on the client's address (clients bind 127.0.0.x source
 * addresses), on a source variable, and behind a trusted proxy.
 */
class MapGeoProxyTest {
    private static final String ESTABLISHED = "HTTP/1.1 200 Connection Established\r\nProxy-agent: nginx\r\n\r\n";
    private static final Duration LOG_WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;
    private EchoServer echo;
    private StubDnsServer dns;

    @BeforeEach
    void start() {
        echo = new EchoServer();
        dns = StubDnsServer.start();
    }

    @AfterEach
    void stop() {
        echo.close();
        dns.close();
    }

    /** A config with {@code httpLevel} beside one proxy_connect server holding {@code serverLevel}. */
    private String config(String format, String httpLevel, String serverLevel) {
        return "error_log ${DIR}/error.log info;\n"
                + "http {\n"
                + "    log_format t '" + format + "';\n"
                + "    access_log ${DIR}/access.log t;\n"
                + "    resolver 127.0.0.1:" + dns.address().getPort() + ";\n"
                + "    " + httpLevel.replace("\n", "\n    ") + "\n"
                + "    server {\n"
                + "        listen 127.0.0.1:${PORT};\n"
                + "        proxy_connect;\n"
                + "        proxy_connect_allow all;\n"
                + "        " + serverLevel.replace("\n", "\n        ") + "\n"
                + "    }\n"
                + "}\n";
    }

    /** Opens a tunnel to {@code authority}, checks it echoes, closes it, and returns its access-log line. */
    private static String tunnel(TestProxy proxy, String authority) throws IOException {
        int before = proxy.lines("access.log").size();
        try (RawClient client = RawClient.connect(proxy.address())) {
            assertThat(client.requestTunnel(authority)).isEqualTo(ESTABLISHED);
            client.send("ping");
            assertThat(new String(client.readExactly(4), StandardCharsets.ISO_8859_1)).isEqualTo("ping");
            client.shutdownOutput();
            assertThat(client.awaitEof()).isTrue();
        }
        return lineAfter(proxy, before);
    }

    /** Sends a CONNECT that the proxy answers itself, and returns the status and the access-log line. */
    private static String refused(TestProxy proxy, String authority, int status) throws IOException {
        int before = proxy.lines("access.log").size();
        try (RawClient client = RawClient.connect(proxy.address())) {
            client.send("CONNECT " + authority + " HTTP/1.1\r\nHost: " + authority + "\r\n\r\n");
            assertThat(RawClient.status(client.readResponse())).isEqualTo(status);
        }
        return lineAfter(proxy, before);
    }

    private static String lineAfter(TestProxy proxy, int before) {
        await().atMost(LOG_WAIT).until(() -> proxy.lines("access.log").size() > before);
        return proxy.lines("access.log").get(before);
    }

    @Test
    void theReadmesHostAllowListLetsListedHostsThroughAndRefusesTheRest() throws IOException {
        dns.a("example.com", "127.0.0.1").a("www.example.org", "127.0.0.1").a("example.org", "127.0.0.1");
        String config = config("$status $connect_host deny=$deny", """
                map $connect_host $deny {
                    hostnames;
                    default 1;
                    example.com 0;
                    *.example.org 0;
                }""", """
                if ($deny) {
                    return 403;
                }""");
        try (TestProxy proxy = TestProxy.start(dir, config)) {
            int port = echo.port();
            assertThat(tunnel(proxy, "example.com:" + port)).isEqualTo("200 example.com deny=0");
            // the request line's host is lowercased and loses its trailing dot before the map sees it
            assertThat(tunnel(proxy, "WWW.Example.ORG.:" + port)).isEqualTo("200 www.example.org deny=0");
            assertThat(refused(proxy, "example.org:" + port, 403)).isEqualTo("403 example.org deny=1");
            assertThat(refused(proxy, "www.example.com:" + port, 403)).isEqualTo("403 www.example.com deny=1");
            assertThat(refused(proxy, "127.0.0.1:" + port, 403)).isEqualTo("403 127.0.0.1 deny=1");
            assertThat(echo.accepted()).isEqualTo(2);
            // refused before the content phase: the names were never looked up
            assertThat(dns.queries("example.org")).isZero();
            assertThat(dns.queries("www.example.com")).isZero();
        }
    }

    @Test
    void aMapGivesEachHostItsOwnTimeouts() throws IOException {
        dns.a("slow.example.com", "127.0.0.1").a("idle.test", "127.0.0.1").a("other.test", "127.0.0.1");
        // the first map is docs/directives.md's example as written
        String config = config("$connect_host $proxy_connect_connect_timeout $proxy_connect_data_timeout", """
                map $connect_host $connect_timeout_for_host {
                    slow.example.com 30s;
                    default 5s;
                }
                map $connect_host $data_timeout_for_host {
                    idle.test 300ms;
                    default 1m;
                }""", """
                set $proxy_connect_connect_timeout $connect_timeout_for_host;
                set $proxy_connect_data_timeout $data_timeout_for_host;""");
        try (TestProxy proxy = TestProxy.start(dir, config)) {
            assertThat(tunnel(proxy, "slow.example.com:" + echo.port())).isEqualTo("slow.example.com 30000 60000");
            assertThat(tunnel(proxy, "other.test:" + echo.port())).isEqualTo("other.test 5000 60000");
            try (RawClient client = RawClient.connect(proxy.address())) {
                assertThat(client.requestTunnel("idle.test:" + echo.port())).isEqualTo(ESTABLISHED);
                // nothing is sent: the 300 ms idle timeout from the map ends the tunnel
                assertThat(client.awaitEof()).isTrue();
            }
            assertThat(lineAfter(proxy, 2)).isEqualTo("idle.test 5000 300");
        }
    }

    @Test
    void aMapValueUsesTheCapturesOfItsRegexKey() throws IOException {
        String config = config("$status $connect_host $connect_addr", """
                map $connect_host $pinned {
                    ~^port(\\d+)\\.svc\\.test$ 127.0.0.1:$1;
                    default "";
                }""", "proxy_connect_address $pinned;");
        try (TestProxy proxy = TestProxy.start(dir, config)) {
            String host = "port" + echo.port() + ".svc.test";
            assertThat(tunnel(proxy, host + ":443")).isEqualTo("200 " + host + " 127.0.0.1:" + echo.port());
            // no resolver answer exists for it: the map pinned the address, so nothing was resolved
            assertThat(dns.queries(host)).isZero();
        }
    }

    /** An HTTP/1.0 GET from {@code source} (a 127.0.0.x address); returns the whole response. */
    private static String get(TestProxy proxy, String source, String target, String headers) throws IOException {
        try (Socket s = new Socket()) {
            s.bind(new InetSocketAddress(InetAddress.getByName(source), 0));
            s.connect(proxy.address(), 10_000);
            s.setSoTimeout(10_000);
            s.getOutputStream().write(("GET " + target + " HTTP/1.0\r\nHost: geo.test\r\n" + headers + "\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    private static String body(String response) {
        return response.substring(response.indexOf("\r\n\r\n") + 4);
    }

    @Test
    void geoClassifiesClientsByTheirAddress() throws IOException {
        String config = config("$remote_addr $status $class", """
                geo $class {
                    default outside;
                    127.0.0.0/24 loopnet;
                    127.0.0.1 local;
                    127.0.0.2/32 second;
                    127.0.0.3 blocked;
                }""", """
                if ($class = blocked) {
                    return 403;
                }
                location / {
                    return 200 "$class";
                }""");
        try (TestProxy proxy = TestProxy.start(dir, config)) {
            assertThat(body(get(proxy, "127.0.0.1", "/", ""))).isEqualTo("local");
            assertThat(body(get(proxy, "127.0.0.2", "/", ""))).isEqualTo("second");
            assertThat(body(get(proxy, "127.0.0.9", "/", ""))).isEqualTo("loopnet");
            assertThat(body(get(proxy, "127.0.1.1", "/", ""))).isEqualTo("outside");
            assertThat(RawClient.status(get(proxy, "127.0.0.3", "/", ""))).isEqualTo(403);
            await().atMost(LOG_WAIT).untilAsserted(() -> assertThat(proxy.lines("access.log"))
                    .containsExactly("127.0.0.1 200 local", "127.0.0.2 200 second", "127.0.0.9 200 loopnet",
                            "127.0.1.1 200 outside", "127.0.0.3 403 blocked"));
        }
    }

    @Test
    void geoReadsASourceVariableAndTrustedProxiesForwardedAddresses() throws IOException {
        String config = config("$status", """
                geo $arg_ip $by_arg {
                    default none;
                    192.0.2.0/24 doc;
                    255.255.255.255 unparsable;
                    2001:db8::/32 doc6;
                }
                geo $behind {
                    proxy 127.0.0.2;
                    proxy_recursive;
                    default direct;
                    127.0.0.0/8 loopback;
                    192.0.2.0/24 doc;
                    198.51.100.0/24 net2;
                }""", """
                location / {
                    return 200 "$by_arg $behind";
                }""");
        try (TestProxy proxy = TestProxy.start(dir, config)) {
            assertThat(body(get(proxy, "127.0.0.1", "/?ip=192.0.2.44", ""))).isEqualTo("doc loopback");
            assertThat(body(get(proxy, "127.0.0.1", "/?ip=2001:db8::1", ""))).isEqualTo("doc6 loopback");
            // nginx looks a value that is not an address up as 255.255.255.255
            assertThat(body(get(proxy, "127.0.0.1", "/?ip=bogus", ""))).isEqualTo("unparsable loopback");
            // no ?ip at all: the variable is not found, which nginx treats the same way
            assertThat(body(get(proxy, "127.0.0.1", "/", ""))).isEqualTo("unparsable loopback");
            // X-Forwarded-For counts only from the trusted proxy; recursively, while addresses are trusted
            String xff = "X-Forwarded-For: 198.51.100.7, 192.0.2.5\r\n";
            assertThat(body(get(proxy, "127.0.0.1", "/", xff))).isEqualTo("unparsable loopback");
            assertThat(body(get(proxy, "127.0.0.2", "/", xff))).isEqualTo("unparsable doc");
            assertThat(body(get(proxy, "127.0.0.2", "/", "X-Forwarded-For: 198.51.100.7, 127.0.0.2\r\n")))
                    .isEqualTo("unparsable net2");
        }
    }
}
