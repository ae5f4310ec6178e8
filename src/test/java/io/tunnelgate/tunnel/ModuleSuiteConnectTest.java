package io.tunnelgate.tunnel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tunnelgate.testsupport.RawClient;
import io.tunnelgate.testsupport.StubDnsServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The module's {@code t/http_proxy_connect.t}, first configuration: a CONNECT server with an allow
 * list, names resolved through a stub DNS, {@code proxy_connect_address} and {@code proxy_connect_bind}
 * taken from variables that server-level {@code if}/{@code set} fill in per Host, a backend server in
 * the same config that reports what it saw, a second server without {@code proxy_connect}, and the
 * access-log line with {@code $connect_host-$connect_port-$connect_addr}.
 */
class ModuleSuiteConnectTest {
    private static final String CONFIG = """
            error_log ${DIR}/error.log info;
            events { }
            http {
                log_format connect '$remote_addr - $remote_user [$time_local] "$request" '
                                   '$status $body_bytes_sent var:$connect_host-$connect_port-$connect_addr';
                access_log ${DIR}/connect.log connect;
                resolver 127.0.0.1:${DNS} ipv6=off;

                server {
                    listen 127.0.0.1:${PORT_8081};
                    listen 127.0.0.1:${PORT_8082};
                    listen 127.0.0.1:${PORT_8083};
                    server_name server_8081;
                    access_log off;
                    location / {
                        return 200 "backend server: addr:$remote_addr port:$server_port host:$host\\n";
                    }
                }

                server {
                    listen 127.0.0.1:${PORT};
                    server_name localhost;

                    set $proxy_remote_address "";
                    set $proxy_local_address "";
                    proxy_connect;
                    proxy_connect_allow 443 80 ${PORT_8081};
                    proxy_connect_connect_timeout 10s;
                    proxy_connect_data_timeout 10s;
                    proxy_connect_address $proxy_remote_address;
                    proxy_connect_bind $proxy_local_address;

                    if ($host = "address.com") {
                        set $proxy_remote_address "127.0.0.01:${PORT_8082}";
                    }
                    if ($host = "bind.com") {
                        set $proxy_remote_address "127.0.0.01:${PORT_8083}";
                        set $proxy_local_address "127.0.0.1";
                    }
                    if ($host = "proxy-remote-address-resolve-domain.com") {
                        set $proxy_remote_address "www.test-a.com:${PORT_8081}";
                    }

                    location / {
                        proxy_pass http://127.0.0.01:${PORT_8081};
                    }
                    location = /hello {
                        return 200 "world";
                    }
                }

                server {
                    listen 127.0.0.1:${PORT};
                    server_name forbidden.example.com;
                    return 200;
                }
            }
            """;
    /** {@code $remote_addr - $remote_user [$time_local] "}: the part before the request line. */
    private static final String LINE_START = "127\\.0\\.0\\.1 - - \\[\\d{2}/\\w{3}/\\d{4}:\\d{2}:\\d{2}:\\d{2} [+-]\\d{4}] \"";

    @TempDir
    static Path dir;
    private static StubDnsServer dns;
    private static SuiteProxy proxy;
    private static int backend;

    @BeforeAll
    static void start() {
        dns = StubDnsServer.start();
        for (String name : new String[] {"www.test-a.com", "www.test-b.com"}) {
            dns.a(name, "127.0.0.1");
        }
        proxy = SuiteProxy.start(dir, CONFIG.replace("${DNS}", Integer.toString(dns.address().getPort())));
        backend = proxy.port(8081);
    }

    @AfterAll
    static void stop() {
        if (proxy != null) {
            proxy.close();
        }
        dns.close();
    }

    @Test
    void anIpLiteralIsTunnelledAndLogsHostPortAndAddress() throws Exception {
        String reply = proxy.connect("127.0.0.1", backend, "/");
        assertThat(reply).contains("backend server");

        int sent = TunnelConfig.ESTABLISHED.length() + reply.length();
        assertLogged(LINE_START + Pattern.quote("CONNECT 127.0.0.1:" + backend + " HTTP/1.1") + "\" 200 " + sent
                + " var:127\\.0\\.0\\.1-" + backend + "-127\\.0\\.0\\.1:" + backend);
    }

    @Test
    void namesAreResolvedAndTheTunnelCarriesTheirHost() throws Exception {
        assertThat(proxy.connect("www.test-a.com", backend, "/")).contains("host:www.test-a.com");
        assertThat(proxy.connect("www.test-b.com", backend, "/")).contains("host:www.test-b.com");
    }

    @Test
    void aNameWithoutRecordsIs502AndLogsNoAddress() throws Exception {
        String reply = proxy.connect("www.no-dns-reply.com", 80, "/");
        assertThat(RawClient.status(reply)).isEqualTo(502);

        assertLogged(LINE_START + Pattern.quote("CONNECT www.no-dns-reply.com:80 HTTP/1.1")
                + "\" 502 \\d+ var:www\\.no-dns-reply\\.com-80--");
    }

    @Test
    void aPortOutsideTheAllowListIs403() throws Exception {
        assertThat(RawClient.status(proxy.connect("127.0.0.1", 9999, "/"))).isEqualTo(403);
    }

    @Test
    void aGetToAProxyPassLocationIsForwardedToTheBackend() throws Exception {
        // the module's test: a plain GET on the proxy_connect server goes through proxy_pass
        String reply = proxy.get("/");
        assertThat(reply).startsWith("HTTP/1.1 200 OK\r\n").contains("backend server: addr:127.0.0.1 port:" + backend);
    }

    @Test
    void aGetToAReturnLocationIsAnswered() throws Exception {
        String reply = proxy.get("/hello");
        assertThat(reply).startsWith("HTTP/1.1 200 OK\r\n").endsWith("\r\n\r\nworld");
    }

    @Test
    void aServerWithoutProxyConnectAnswers405BeforeItsReturn() throws Exception {
        assertThat(proxy.connect("forbidden.example.com", proxy.proxy().port(), "/"))
                .startsWith("HTTP/1.1 405 Not Allowed\r\n");
    }

    @Test
    void anAddressSetByIfIsAResolvedName() throws Exception {
        assertThat(proxy.connect("proxy-remote-address-resolve-domain.com", backend, "/"))
                .contains("host:proxy-remote-address-resolve-domain.com")
                .contains("port:" + backend);
    }

    @Test
    void anAddressSetByIfReplacesTheRequestLineHostAndPort() throws Exception {
        assertThat(proxy.connect("address.com", backend, "/"))
                .contains("backend server: addr:127.0.0.1 port:" + proxy.port(8082));
    }

    @Test
    void aBindAddressSetByIfIsUsedWithTheAddress() throws Exception {
        assertThat(proxy.connect("bind.com", backend, "/"))
                .contains("backend server: addr:127.0.0.1 port:" + proxy.port(8083));
    }

    private static void assertLogged(String regex) {
        Pattern p = Pattern.compile(regex);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(proxy.lines("connect.log")).anyMatch(l -> p.matcher(l).matches()));
    }
}
