package io.tunnelgate.forward;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tunnelgate.testsupport.HttpOrigin;
import io.tunnelgate.testsupport.Loopback;
import io.tunnelgate.testsupport.RawClient;
import io.tunnelgate.testsupport.StubDnsServer;
import io.tunnelgate.testsupport.TestFiles;
import io.tunnelgate.testsupport.TestProxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The destination policy and {@code Proxy-Status} for plain forwarding: a location's address rules
 * checked on each peer before it is dialled ({@code proxy_pass http://$host} through a stub DNS, a
 * static URL, an upstream group), denied peers skipped, host rules checked before DNS, and
 * {@code Proxy-Status} kept through an error page, absent with {@code proxy_status off} and on
 * origin responses.
 */
class DestinationPolicyForwardTest {
    @TempDir
    static Path dir;
    private static StubDnsServer dns;
    private static HttpOrigin origin;
    private static TestProxy proxy;

    @BeforeAll
    static void start() {
        dns = StubDnsServer.start();
        dns.a("inside.test", "127.0.0.1").a("mixed.test", "127.0.0.2", "127.0.0.1")
                .a("denied.test", "127.0.0.2", "127.0.0.3").a("x.blocked.test", "127.0.0.1");
        origin = new HttpOrigin();
        proxy = TestProxy.start(dir, """
                http {
                    access_log ${DIR}/access.log;
                    error_log ${DIR}/error.log info;
                    resolver 127.0.0.1:%1$d;
                    upstream pair {
                        server 127.0.0.2:%2$d;
                        server 127.0.0.1:%2$d;
                    }
                    server {
                        listen 127.0.0.1:${PORT};
                        destination_deny 127.0.0.2;
                        destination_deny 127.0.0.3;
                        destination_host_deny .blocked.test;
                        location / {
                            proxy_pass http://$host;
                        }
                        location /guarded/ {
                            destination_deny loopback;
                            proxy_pass http://$host;
                        }
                        location /static/ {
                            destination_deny 127.0.0.0/8;
                            proxy_pass http://127.0.0.1:%2$d;
                        }
                        location /pair/ {
                            proxy_pass http://pair;
                        }
                        location /quiet/ {
                            proxy_status off;
                            proxy_pass http://$host;
                        }
                        location /paged/ {
                            proxy_pass http://$host;
                            error_page 502 /page;
                        }
                        location = /page {
                            return 502 "custom";
                        }
                    }
                }
                """.formatted(dns.address().getPort(), origin.port()));
    }

    @AfterAll
    static void stop() throws Exception {
        proxy.close();
        origin.close();
        dns.close();
    }

    private static String get(String url) throws Exception {
        try (RawClient c = RawClient.connect(proxy.address())) {
            c.send("GET " + url + " HTTP/1.1\r\nHost: x\r\n\r\n");
            return c.readResponse();
        }
    }

    private static String where(String text) throws Exception {
        Path file = dir.resolve(TestFiles.CONFIG_NAME);
        List<String> lines = Files.readAllLines(file);
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(text)) {
                return file + ":" + (i + 1);
            }
        }
        throw new AssertionError(text);
    }

    private static void assertLogged(String line) {
        await().atMost(10, SECONDS).untilAsserted(() ->
                assertThat(proxy.lines("error.log")).anyMatch(l -> l.contains("[error]") && l.contains(line)));
    }

    private static void assertAddressDenied(String response) {
        assertThat(response).startsWith("HTTP/1.1 403 Forbidden\r\n").contains("\r\nProxy-Status: tunnelgate;"
                + " error=destination_ip_prohibited; details=\"destination address denied by policy\"\r\n");
    }

    @Test
    void aNameResolvingToADeniedAddressIs403() throws Exception {
        int before = origin.accepted();
        assertAddressDenied(get("http://inside.test:" + origin.port() + "/guarded/x"));
        assertLogged("destination 127.0.0.1:" + origin.port() + " denied by \"destination_deny loopback\" in "
                + where("destination_deny loopback") + ", client: ");
        assertThat(origin.accepted()).isEqualTo(before);
    }

    @Test
    void aStaticUpstreamIsCheckedToo() throws Exception {
        int before = origin.accepted();
        assertAddressDenied(get("http://anything.test/static/x"));
        assertLogged("destination 127.0.0.1:" + origin.port() + " denied by \"destination_deny 127.0.0.0/8\"");
        assertThat(origin.accepted()).isEqualTo(before);
    }

    @Test
    void deniedAddressesOfANameAreSkippedWithoutBeingDialled() throws Exception {
        for (int i = 0; i < 10; i++) {
            assertThat(get("http://mixed.test:" + origin.port() + "/m" + i)).startsWith("HTTP/1.1 200 OK\r\n")
                    .doesNotContain("Proxy-Status");
        }
        assertLogged("destination 127.0.0.2:" + origin.port() + " denied by \"destination_deny 127.0.0.2\"");
        assertThat(proxy.lines("error.log")).noneMatch(l -> l.contains("connect() failed") && l.contains("127.0.0.2"));
        assertAddressDenied(get("http://denied.test:" + origin.port() + "/d"));
    }

    @Test
    void aDeniedPeerOfAnUpstreamGroupIsSkipped() throws Exception {
        for (int i = 0; i < 4; i++) {
            assertThat(get("http://x/pair/" + i)).startsWith("HTTP/1.1 200 OK\r\n");
        }
        assertThat(proxy.lines("error.log")).noneMatch(l -> l.contains("connect() failed") && l.contains("127.0.0.2"));
        assertLogged("destination 127.0.0.2:" + origin.port() + " denied by \"destination_deny 127.0.0.2\"");
    }

    @Test
    void aDeniedHostIs403BeforeAnyLookup() throws Exception {
        assertThat(get("http://x.blocked.test/")).startsWith("HTTP/1.1 403 Forbidden\r\n").contains(
                "\r\nProxy-Status: tunnelgate; error=http_request_denied; details=\"destination host denied by policy\"\r\n");
        assertLogged("destination host \"x.blocked.test\" denied by \"destination_host_deny .blocked.test\" in "
                + where("destination_host_deny") + ", client: ");
        assertThat(dns.queries("x.blocked.test")).isZero();
    }

    @Test
    void aDnsFailureIsADnsError() throws Exception {
        assertThat(get("http://gone.test/")).startsWith("HTTP/1.1 502 Bad Gateway\r\n").contains("\r\nProxy-Status:"
                + " tunnelgate; error=dns_error; rcode=\"NXDOMAIN\"; details=\"gone.test could not be resolved"
                + " (3: Host not found)\"\r\n");
    }

    @Test
    void proxyStatusOffLeavesItOut() throws Exception {
        String response = get("http://127.0.0.1:" + Loopback.closedPort() + "/quiet/");
        assertThat(response).startsWith("HTTP/1.1 502 Bad Gateway\r\n").doesNotContain("Proxy-Status");
    }

    @Test
    void anErrorPageKeepsTheProxyStatusOnce() throws Exception {
        String response = get("http://127.0.0.1:" + Loopback.closedPort() + "/paged/");
        assertThat(response).startsWith("HTTP/1.1 502 Bad Gateway\r\n").endsWith("custom");
        Matcher m = Pattern.compile("\r\nProxy-Status: tunnelgate; error=connection_refused; ").matcher(response);
        assertThat(m.results().count()).isEqualTo(1);
    }

    @Test
    void anOriginResponseHasNone() throws Exception {
        assertThat(get("http://127.0.0.1:" + origin.port() + "/ok")).startsWith("HTTP/1.1 200 OK\r\n")
                .doesNotContain("Proxy-Status");
    }
}
