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
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code destination_allow} / {@code destination_deny} for CONNECT: each named set and CIDR
 * denies the address dialled (IPv6 forms of IPv4 included), the first matching rule decides, a
 * server's rules replace inherited ones, a name is checked on the addresses it resolves to (a
 * denied one skipped, all denied a 403), with the error-log line, {@code $connect_addr} and
 * {@code Proxy-Status}.
 *
 * <p>Tests dial only loopback. Where a denied address is not loopback the server also binds each
 * upstream socket to the other family's loopback ({@code proxy_connect_bind $bind}): should the
 * policy ever let such an address through, the connect fails locally with a 500 before any packet
 * leaves, and the test fails without having dialled it.
 */
class DestinationPolicyConnectTest {
    private static final String DENIED_STATUS =
            "\r\nProxy-Status: tunnelgate; error=destination_ip_prohibited; details=\"destination address denied by policy\"\r\n";

    @TempDir
    Path dir;

    private TestProxy start(String http, String server) {
        return TestProxy.start(dir, "error_log ${DIR}/error.log info;\n"
                + "http {\n"
                + "    log_format tunnel '" + TunnelConfig.FORMAT + "';\n"
                + "    access_log ${DIR}/access.log tunnel;\n"
                + "    map $connect_host $bind { ~^\\[ 127.0.0.1; default ::1; }\n"
                + http
                + "    server {\n"
                + "        listen 127.0.0.1:${PORT};\n"
                + "        proxy_connect;\n"
                + "        proxy_connect_allow all;\n"
                + server
                + "    }\n"
                + "}\n");
    }

    /** {@code file:line} of the first config line containing {@code text}. */
    private String where(String text) {
        Path file = dir.resolve(TestFiles.CONFIG_NAME);
        List<String> lines;
        try {
            lines = java.nio.file.Files.readAllLines(file);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(text)) {
                return file + ":" + (i + 1);
            }
        }
        throw new AssertionError(text + " not in the config");
    }

    /**
     * Opens a tunnel and echoes one byte through it. The 200 alone does not prove the origin's accept
     * thread has counted the connection yet (the kernel completes the handshake first); the echo does.
     */
    private static void assertTunnelEchoes(TestProxy proxy, String authority) throws Exception {
        try (RawClient c = RawClient.connect(proxy.address())) {
            assertThat(c.requestTunnel(authority)).isEqualTo(TunnelConfig.ESTABLISHED);
            c.send("x");
            assertThat(c.readExactly(1)).containsExactly('x');
        }
    }

    private static String connect(TestProxy proxy, String authority) throws Exception {
        try (RawClient c = RawClient.connect(proxy.address())) {
            c.send(connectHead(authority));
            return c.readResponse();
        }
    }

    private void assertDenied(TestProxy proxy, String response, String address, String rule) {
        assertThat(response).startsWith("HTTP/1.1 403 Forbidden\r\n").contains(DENIED_STATUS);
        String line = "proxy_connect: destination " + address + " denied by \"" + rule + "\" in " + where(rule);
        await().atMost(10, SECONDS).untilAsserted(() -> {
            assertThat(proxy.lines("error.log")).anyMatch(l -> l.contains("[error]") && l.contains(line + ", client: "));
            assertThat(LogFields.of(proxy.lastLine("access.log")).get("addr")).isEqualTo(address);
        });
    }

    @ParameterizedTest(name = "{0} denies {1}")
    @CsvSource({
        "loopback, 127.0.0.5:9, 127.0.0.5:9",
        "loopback, [::1]:9, [::1]:9",
        "loopback, [::ffff:127.0.0.1]:9, 127.0.0.1:9",
        "127.0.0.0/8, [::ffff:127.0.0.1]:9, 127.0.0.1:9",
        "private, 10.1.2.3:443, 10.1.2.3:443",
        "private, 172.16.0.1:443, 172.16.0.1:443",
        "private, 192.168.0.1:443, 192.168.0.1:443",
        "private, 100.64.0.1:443, 100.64.0.1:443",
        "private, [fd12::1]:443, [fd12::1]:443",
        "private, [64:ff9b::a00:1]:443, [64:ff9b::a00:1]:443",
        "link-local, 169.254.169.254:80, 169.254.169.254:80",
        "link-local, [fe80::1]:80, [fe80::1]:80",
        "link-local, [fd00:ec2::254]:80, [fd00:ec2::254]:80",
        "multicast, 224.0.0.1:80, 224.0.0.1:80",
        "multicast, [ff02::1]:80, [ff02::1]:80",
        "unspecified, 0.0.0.0:80, 0.0.0.0:80",
        "unspecified, [::]:80, [::]:80",
        "192.0.2.0/24, 192.0.2.7:80, 192.0.2.7:80",
        "2001:db8::/32, [2001:db8::1]:80, [2001:db8::1]:80",
    })
    void eachSetAndNetworkDeniesItsAddresses(String arg, String authority, String address) throws Exception {
        try (TestProxy proxy = start("", "        proxy_connect_bind $bind;\n"
                + "        destination_deny " + arg + ";\n        destination_deny all;\n")) {
            assertDenied(proxy, connect(proxy, authority), address, "destination_deny " + arg);
        }
    }

    @Test
    void theFirstMatchingRuleDecidesAndNoMatchAllows() throws Exception {
        try (EchoServer echo = new EchoServer();
             TestProxy proxy = start("", "        destination_allow 127.0.0.1;\n"
                     + "        destination_deny 127.0.0.0/8;\n        destination_allow all;\n")) {
            assertTunnelEchoes(proxy, "127.0.0.1:" + echo.port());
            assertDenied(proxy, connect(proxy, "127.0.0.2:" + echo.port()), "127.0.0.2:" + echo.port(),
                    "destination_deny 127.0.0.0/8");
            assertThat(echo.accepted()).isEqualTo(1);
        }
    }

    @Test
    void aServerWithRulesReplacesTheInheritedOnes() throws Exception {
        try (EchoServer echo = new EchoServer();
             TestProxy inherits = start("    destination_deny loopback;\n", "");
             TestProxy replaces = start("    destination_deny loopback;\n", "        destination_allow 10.0.0.0/8;\n")) {
            assertDenied(inherits, connect(inherits, "127.0.0.1:" + echo.port()), "127.0.0.1:" + echo.port(),
                    "destination_deny loopback");
            assertTunnelEchoes(replaces, "127.0.0.1:" + echo.port());
            assertThat(echo.accepted()).isEqualTo(1);
        }
    }

    @Test
    void aNameResolvingToLoopbackIsDeniedByLoopback() throws Exception {
        try (StubDnsServer dns = StubDnsServer.start();
             EchoServer echo = new EchoServer();
             TestProxy proxy = start("", "        resolver 127.0.0.1:" + dns.address().getPort() + ";\n"
                     + "        destination_deny loopback;\n")) {
            dns.a("inside.test", "127.0.0.1");
            assertDenied(proxy, connect(proxy, "inside.test:" + echo.port()), "127.0.0.1:" + echo.port(),
                    "destination_deny loopback");
            assertThat(echo.accepted()).isZero();
        }
    }

    @Test
    void deniedAddressesOfANameAreSkippedAndAllDeniedIs403() throws Exception {
        try (StubDnsServer dns = StubDnsServer.start();
             EchoServer echo = new EchoServer();
             TestProxy proxy = start("", "        resolver 127.0.0.1:" + dns.address().getPort() + ";\n"
                     + "        destination_deny 127.0.0.2;\n        destination_deny 127.0.0.3;\n")) {
            dns.a("mixed.test", "127.0.0.2", "127.0.0.1").a("denied.test", "127.0.0.2", "127.0.0.3");
            // the address is picked at random: ten tries leave 127.0.0.2 (where nothing listens) no chance
            for (int i = 0; i < 10; i++) {
                try (RawClient c = RawClient.connect(proxy.address())) {
                    assertThat(c.requestTunnel("mixed.test:" + echo.port())).isEqualTo(TunnelConfig.ESTABLISHED);
                }
            }
            // the echo server counts an accept on its own thread, maybe after the 200 came back
            await().atMost(10, SECONDS).untilAsserted(() -> assertThat(echo.accepted()).isEqualTo(10));
            String response = connect(proxy, "denied.test:" + echo.port());
            assertThat(response).startsWith("HTTP/1.1 403 Forbidden\r\n").contains(DENIED_STATUS);
            await().atMost(10, SECONDS).untilAsserted(() -> assertThat(
                    LogFields.of(proxy.lastLine("access.log")).get("addr")).isIn("127.0.0.2:" + echo.port(),
                    "127.0.0.3:" + echo.port()));
            assertThat(proxy.lines("error.log")).anyMatch(l -> l.contains("destination 127.0.0.2:" + echo.port()))
                    .anyMatch(l -> l.contains("destination 127.0.0.3:" + echo.port()));
            assertThat(echo.accepted()).isEqualTo(10);
        }
    }

    @Test
    void theAddressAfterProxyConnectAddressIsTheOneChecked() throws Exception {
        try (EchoServer echo = new EchoServer();
             TestProxy proxy = start("", "        proxy_connect_address 127.0.0.9;\n"
                     + "        destination_allow 127.0.0.1;\n        destination_deny all;\n")) {
            assertDenied(proxy, connect(proxy, "127.0.0.1:" + echo.port()), "127.0.0.9:" + echo.port(),
                    "destination_deny all");
            assertThat(echo.accepted()).isZero();
        }
    }
}
