package io.tunnelgate.tunnel;

import static org.assertj.core.api.Assertions.assertThat;

import io.tunnelgate.testsupport.RawClient;
import io.tunnelgate.testsupport.StubDnsServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The module's tests of the established response: {@code $proxy_connect_response} read in a
 * {@code return} and replaced with {@code set} ({@code t/http_proxy_connect.t}, fourth
 * configuration), the {@code proxy_connect_response} directive with {@code $connect_addr} (fifth
 * configuration), and {@code t/http_proxy_connect_lua.t}, whose Lua rewrite handler is written here
 * with {@code if}/{@code set}, the same rewrite-phase assignment.
 */
class ModuleSuiteResponseTest {
    private static final String HEAD = """
            error_log ${DIR}/error.log info;
            events { }
            http {
                access_log off;
                resolver 127.0.0.1:%d ipv6=off;
                server {
                    listen 127.0.0.1:${PORT_8081};
                    location / {
                        return 200 "backend";
                    }
                }
                server {
                    listen 127.0.0.1:${PORT};
                    proxy_connect;
                    proxy_connect_allow all;
            """;
    private static final String TAIL = """
                }
            }
            """;

    @TempDir
    Path dir;
    private StubDnsServer dns;

    @BeforeEach
    void startDns() {
        dns = StubDnsServer.start();
        for (String name : new String[] {"www.test-a.com", "www.test-b.com", "get-default-response.com",
                "set-response-header.com", "set-response-status.com"}) {
            dns.a(name, "127.0.0.1");
        }
    }

    @AfterEach
    void stopDns() {
        dns.close();
    }

    private SuiteProxy start(String serverDirectives) {
        return SuiteProxy.start(dir, HEAD.formatted(dns.address().getPort()) + serverDirectives + TAIL);
    }

    @Test
    void theResponseVariableIsReadableAndSettableInRewrite() throws Exception {
        try (SuiteProxy proxy = start("""
                if ($host = "get-default-response.com") {
                    return 403 "|$proxy_connect_response|";
                }
                if ($host = "set-response-header.com") {
                    set $proxy_connect_response "HTTP/1.1 200\\r\\nFoo: bar\\r\\n\\r\\n";
                }
                if ($host = "set-response-status.com") {
                    set $proxy_connect_response "HTTP/1.1 403\\r\\n\\r\\n";
                }
                """)) {
            int backend = proxy.port(8081);
            // nothing set: the default response, then the backend's reply through the tunnel
            assertThat(proxy.connect("www.test-a.com", backend, "/")).startsWith("HTTP/1.1 200 OK\r\n")
                    .endsWith("backend");

            String reply = proxy.connectRaw("get-default-response.com", backend);
            assertThat(reply).startsWith("HTTP/1.1 403 Forbidden\r\n")
                    .endsWith("\r\n\r\n|HTTP/1.1 200 Connection Established\r\nProxy-agent: nginx\r\n\r\n|");

            // these replies do not look established to the module's client, which returns them as read
            assertThat(proxy.connect("set-response-header.com", backend, "/"))
                    .isEqualTo("HTTP/1.1 200\r\nFoo: bar\r\n\r\n");
            assertThat(proxy.connect("set-response-status.com", backend, "/")).isEqualTo("HTTP/1.1 403\r\n\r\n");
        }
    }

    @Test
    void theResponseDirectiveCanCarryTheConnectedAddress() throws Exception {
        try (SuiteProxy proxy = start("""
                proxy_connect_response "HTTP/1.1 200 Connection Established\\r\\nProxy-agent: nginx\\r\\n\
                X-Proxy-Connected-Addr: $connect_addr\\r\\n\\r\\n";
                """)) {
            int backend = proxy.port(8081);
            String expected = "HTTP/1.1 200 Connection Established\r\nProxy-agent: nginx\r\n"
                    + "X-Proxy-Connected-Addr: 127.0.0.1:" + backend + "\r\n\r\n";
            // the module's client does not take this head for an established tunnel (".+" stops at the
            // line end), so it returns the head as read
            assertThat(proxy.connect("set-response-header.com", backend, "/")).isEqualTo(expected);

            try (RawClient client = RawClient.connect(proxy.proxy().address())) {
                assertThat(client.requestTunnel("set-response-header.com:" + backend)).isEqualTo(expected);
                client.send("GET / HTTP/1.0\r\nHost: x\r\n\r\n");
                assertThat(new String(client.readToEof(), StandardCharsets.ISO_8859_1)).endsWith("backend");
            }
        }
    }

    @Test
    void aResponseSetInRewriteMayNameTheVersion() throws Exception {
        // t/http_proxy_connect_lua.t sets the variable from Lua's rewrite handler with nginx's version
        try (SuiteProxy proxy = start("""
                if ($host = "set-response-header.com") {
                    set $proxy_connect_response "HTTP/1.1 200\\r\\nProxy-agent: nginx/$tunnelgate_version\\r\\n\\r\\n";
                }
                """)) {
            assertThat(proxy.connect("set-response-header.com", proxy.port(8081), "/"))
                    .matches("HTTP/1\\.1 200\r\nProxy-agent: nginx/[\\d.]+\r\n\r\n");
        }
    }
}
