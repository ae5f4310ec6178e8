package io.tunnelgate.tunnel;

import static io.tunnelgate.tunnel.TunnelConfig.connectHead;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tunnelgate.testsupport.EchoServer;
import io.tunnelgate.testsupport.RawClient;
import io.tunnelgate.testsupport.StubDnsServer;
import io.tunnelgate.testsupport.TestFiles;
import io.tunnelgate.testsupport.TestProxy;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code destination_host_allow} / {@code destination_host_deny} for CONNECT: exact names,
 * {@code *.} and {@code .} forms, regexes and a per-user variable, read in order before any DNS
 * query; a denial is a 403 with its error-log line and {@code Proxy-Status}.
 */
class HostPolicyConnectTest {
    @TempDir
    static Path dir;
    private static StubDnsServer dns;
    private static EchoServer echo;
    private static TestProxy proxy;

    @BeforeAll
    static void start() {
        dns = StubDnsServer.start();
        for (String name : new String[] {"exact.test", "a.wild.test", "b.a.wild.test", "wild.test", "dot.test",
            "x.dot.test", "xdot.test", "re42.test", "re.test", "other.test"}) {
            dns.a(name, "127.0.0.1");
        }
        echo = new EchoServer();
        proxy = TestProxy.start(dir, """
                error_log ${DIR}/error.log info;
                http {
                    access_log off;
                    map $http_x_user $user_ok { alice 1; default 0; }
                    server {
                        listen 127.0.0.1:${PORT};
                        proxy_connect;
                        proxy_connect_allow all;
                        resolver 127.0.0.1:%d;
                        destination_host_allow Exact.test *.wild.test .dot.test;
                        destination_host_allow ~^re[0-9]+\\.test$ $user_ok;
                        destination_host_deny all;
                    }
                }
                """.formatted(dns.address().getPort()));
    }

    @AfterAll
    static void stop() throws Exception {
        proxy.close();
        echo.close();
        dns.close();
    }

    private static String connect(String host, String user) throws Exception {
        try (RawClient c = RawClient.connect(proxy.address())) {
            String head = connectHead(host + ":" + echo.port());
            c.send(user.isEmpty() ? head : head.replace("\r\n\r\n", "\r\nX-User: " + user + "\r\n\r\n"));
            return c.readHead();
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"exact.test, ''", "EXACT.test, ''", "a.wild.test, ''", "b.a.wild.test, ''", "dot.test, ''",
        "x.dot.test, ''", "re42.test, ''", "other.test, alice"})
    void allowedHostsAreTunnelled(String host, String user) throws Exception {
        assertThat(connect(host, user)).isEqualTo(TunnelConfig.ESTABLISHED);
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"wild.test, ''", "xdot.test, ''", "re.test, ''", "nobody.test, ''", "someone.test, bob"})
    void otherHostsAreDeniedBeforeAnyLookup(String host, String user) throws Exception {
        String response = connect(host, user);
        assertThat(response).startsWith("HTTP/1.1 403 Forbidden\r\n").contains("\r\nProxy-Status: tunnelgate;"
                + " error=http_request_denied; details=\"destination host denied by policy\"\r\n");
        String line = "proxy_connect: destination host \"" + host + "\" denied by \"destination_host_deny all\" in "
                + dir.resolve(TestFiles.CONFIG_NAME) + ":12, client: ";
        await().atMost(10, SECONDS).untilAsserted(() ->
                assertThat(proxy.lines("error.log")).anyMatch(l -> l.contains("[error]") && l.contains(line)));
        assertThat(dns.queries(host)).isZero();
    }

    @Test
    void aDeniedPortStillComesFirstAndIsNamedInProxyStatus() throws Exception {
        try (TestProxy strict = TestProxy.start(dir.resolve("strict"), """
                http {
                    access_log off;
                    server {
                        listen 127.0.0.1:${PORT};
                        proxy_connect;
                        proxy_connect_allow 443;
                        destination_host_deny all;
                    }
                }
                """);
             RawClient c = RawClient.connect(strict.address())) {
            assertThat(c.requestTunnel("exact.test:25")).startsWith("HTTP/1.1 403 Forbidden\r\n").contains(
                    "\r\nProxy-Status: tunnelgate; error=http_request_denied; details=\"port not allowed by proxy_connect_allow\"\r\n");
        }
    }
}
