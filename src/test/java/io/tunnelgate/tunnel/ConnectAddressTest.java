package io.tunnelgate.tunnel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tunnelgate.testsupport.EchoServer;
import io.tunnelgate.testsupport.RawClient;
import io.tunnelgate.testsupport.StubDnsServer;
import io.tunnelgate.testsupport.TestProxy;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code proxy_connect_address} (spec §1.4, §3.5): every form of the value ({@code host},
 * {@code host:port}, IPv4 with and without port, {@code [IPv6]} with and without port), taken here
 * from a request header so one proxy serves every case. Names go to the resolver and the CONNECT
 * host then is never looked up; an empty value means the CONNECT host, and so does {@code off}
 * (Tunnelgate follows the module's README there, not its code, which would resolve a host named
 * "off"). Values nginx's URL parser refuses are 403 with the module's error line, and keep the
 * connection open. The port check still uses the CONNECT port.
 */
class ConnectAddressTest {
    @TempDir
    static Path dir;
    private static StubDnsServer dns;
    private static EchoServer echo;
    private static ServerSocket v6;
    private static Thread v6Thread;
    private static TestProxy proxy;

    @BeforeAll
    static void start() throws IOException {
        dns = StubDnsServer.start();
        echo = new EchoServer();
        dns.a("origin.test", "127.0.0.1");
        v6 = new ServerSocket(0, 50, InetAddress.getByName("::1"));
        v6Thread = new Thread(ConnectAddressTest::echoOnV6, "v6-echo");
        v6Thread.setDaemon(true);
        v6Thread.start();
        proxy = TunnelConfig.connectServer().resolver(dns)
                .format("status:$status addr:$connect_addr host:$connect_host port:$connect_port")
                .with("proxy_connect_address $http_x_target;")
                .start(dir);
    }

    @AfterAll
    static void stop() throws Exception {
        proxy.close();
        v6.close();
        v6Thread.join(10_000);
        echo.close();
        dns.close();
    }

    /** Echoes each connection's bytes, one connection at a time (each test opens one). */
    private static void echoOnV6() {
        while (!v6.isClosed()) {
            try (Socket s = v6.accept()) {
                InputStream in = s.getInputStream();
                OutputStream out = s.getOutputStream();
                byte[] buf = new byte[1024];
                int n;
                while ((n = in.read(buf)) > 0) {
                    out.write(buf, 0, n);
                }
            } catch (IOException e) {
                // closed at the end of the class, or the peer reset: next connection
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        // value (ECHO = the echo port, V6 = the IPv6 echo's), CONNECT authority, dialled address
        "127.0.0.1:ECHO,     nowhere.test:ECHO, 127.0.0.1:ECHO",
        "127.0.0.01:ECHO,    nowhere.test:443,  127.0.0.1:ECHO",
        "127.0.0.1,          nowhere.test:ECHO, 127.0.0.1:ECHO",
        "origin.test:ECHO,   nowhere.test:443,  127.0.0.1:ECHO",
        "origin.test,        nowhere.test:ECHO, 127.0.0.1:ECHO",
        "ORIGIN.test.:ECHO,  nowhere.test:443,  127.0.0.1:ECHO",
        "[::1]:V6,           nowhere.test:443,  [::1]:V6",
        "[::1],              nowhere.test:V6,   [::1]:V6",
        "'',                 127.0.0.1:ECHO,    127.0.0.1:ECHO",
        "off,                127.0.0.1:ECHO,    127.0.0.1:ECHO",
    })
    void everyFormIsDialledAndTheConnectHostIsNotResolved(String value, String authority, String dialled)
            throws Exception {
        int queries = dns.queries("nowhere.test");
        try (RawClient client = RawClient.connect(proxy.address())) {
            client.send("CONNECT " + ports(authority) + " HTTP/1.1\r\nHost: x\r\nX-Target: " + ports(value)
                    + "\r\n\r\n");
            assertThat(client.readHead()).isEqualTo(TunnelConfig.ESTABLISHED);
            client.send("ping");
            assertThat(new String(client.readExactly(4), StandardCharsets.ISO_8859_1)).isEqualTo("ping");
            client.shutdownOutput();
            assertThat(client.awaitEof()).isTrue();
        }
        LogFields log = LogFields.of(proxy.lastLine("access.log"));
        assertThat(log.get("addr")).isEqualTo(ports(dialled));
        assertThat(log.get("status")).isEqualTo("200");
        assertThat(dns.queries("nowhere.test")).isEqualTo(queries);
    }

    @Test
    void theNameIsResolvedWithTheServersResolver() throws Exception {
        int before = dns.queries("origin.test", "A");
        dns.a("fresh.test", "127.0.0.1");
        try (RawClient client = RawClient.connect(proxy.address())) {
            client.send("CONNECT nowhere.test:443 HTTP/1.1\r\nHost: x\r\nX-Target: fresh.test:" + echo.port()
                    + "\r\n\r\n");
            assertThat(client.readHead()).isEqualTo(TunnelConfig.ESTABLISHED);
            // ended here, so that its log line is written before the next test's
            client.shutdownOutput();
            assertThat(client.awaitEof()).isTrue();
        }
        assertThat(dns.queries("fresh.test", "A")).isEqualTo(1);
        assertThat(dns.queries("origin.test", "A")).isEqualTo(before);
    }

    @Test
    void aNameWithoutRecordsIs502NamingThatName() throws Exception {
        try (RawClient client = RawClient.connect(proxy.address())) {
            client.send("CONNECT 127.0.0.1:" + echo.port() + " HTTP/1.1\r\nHost: x\r\nX-Target: gone.test\r\n\r\n");
            String response = client.readResponse();
            assertThat(RawClient.status(response)).isEqualTo(502);
            assertThat(response).contains("\r\nProxy-Status: tunnelgate; error=dns_error; rcode=\"NXDOMAIN\"; details="
                    + "\"gone.test could not be resolved (3: Host not found)\"\r\n");
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(proxy.lines("error.log"))
                .anyMatch(l -> l.contains("proxy_connect: gone.test could not be resolved (3: Host not found)")));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "127.0.0.1:0        | invalid port",
        "127.0.0.1:70000    | invalid port",
        "127.0.0.1:abc      | invalid port",
        "origin.test:       | invalid port",
        "a:b:c              | invalid port",
        ":443               | no host",
        "origin.test/path   | invalid host",
        "origin.test?x      | invalid host",
        "[::1               | invalid host",
        "[::1]x             | invalid host",
        "[::1]:443/x        | invalid host",
        "[::1]:0            | invalid port",
        "[]                 | no host",
        "[]:0               | invalid port",
        "[zz::1]:443        | invalid IPv6 address",
        "[127.0.0.1]        | invalid IPv6 address",
    })
    void valuesNginxRefusesAre403WithTheModulesLine(String value, String reason) throws Exception {
        int accepted = echo.accepted();
        try (RawClient client = RawClient.connect(proxy.address())) {
            client.send("CONNECT 127.0.0.1:" + echo.port() + " HTTP/1.1\r\nHost: x\r\nX-Target: " + value
                    + "\r\n\r\n");
            String response = client.readResponse();
            assertThat(RawClient.status(response)).isEqualTo(403);
            assertThat(response).contains("\r\nConnection: keep-alive\r\n")
                    .contains("\r\nProxy-Status: tunnelgate; error=proxy_configuration_error; details=\"" + reason
                            + " in proxy_connect_address\"\r\n");
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            List<String> lines = proxy.lines("error.log");
            assertThat(lines).anyMatch(l -> l.contains("[error]") && l.contains("proxy_connect: " + reason
                    + " in connect host \"" + value + "\", client: 127.0.0.1"));
            assertThat(LogFields.of(proxy.lastLine("access.log")).get("status")).isEqualTo("403");
        });
        assertThat(LogFields.of(proxy.lastLine("access.log")).get("addr")).isEqualTo("-");
        assertThat(echo.accepted()).isEqualTo(accepted);
    }

    @Test
    void thePortCheckUsesTheConnectPortNotTheAddresses() throws Exception {
        try (TestProxy strict = TestProxy.start(dir.resolve("strict"), """
                http {
                    access_log off;
                    server {
                        listen 127.0.0.1:${PORT};
                        proxy_connect;
                        proxy_connect_allow 8081;
                        proxy_connect_address 127.0.0.1:%d;
                    }
                }
                """.formatted(echo.port()));
             RawClient allowed = RawClient.connect(strict.address());
             RawClient refused = RawClient.connect(strict.address())) {
            assertThat(allowed.requestTunnel("elsewhere.test:8081")).isEqualTo(TunnelConfig.ESTABLISHED);
            assertThat(RawClient.status(refused.requestTunnel("elsewhere.test:" + echo.port()))).isEqualTo(403);
        }
    }

    private static String ports(String text) {
        return text.replace("ECHO", Integer.toString(echo.port())).replace("V6", Integer.toString(v6.getLocalPort()));
    }
}
