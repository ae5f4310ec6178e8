package io.tunnelgate.tunnel;

import static org.assertj.core.api.Assertions.assertThat;

import io.tunnelgate.testsupport.RawClient;
import io.tunnelgate.testsupport.ScriptedServer;
import io.tunnelgate.testsupport.StubDnsServer;
import io.tunnelgate.testsupport.TestProxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How the module's directives pass from http to server (spec §1, the module's merge function):
 * the timeouts, {@code proxy_connect_address}, {@code proxy_connect_bind} and the resolver are
 * inherited by a server that sets none and replaced by one that does ({@code proxy_connect_bind off}
 * included); {@code proxy_connect_data_timeout} at http and its alias {@code _read_timeout} at
 * server are not duplicates, and the server's wins; {@code proxy_connect_response} at http level
 * reaches no server. The duplicate and context errors are in the {@code -t} tests of the cli
 * package.
 */
class InheritanceTest {
    @TempDir
    static Path dir;
    private static StubDnsServer dns;
    /** Answers with the address the connection came from. */
    private static ScriptedServer origin;
    private static TestProxy proxy;

    @BeforeAll
    static void start() {
        dns = StubDnsServer.start();
        origin = new ScriptedServer(socket -> socket.getOutputStream().write(
                socket.getInetAddress().getHostAddress().getBytes(StandardCharsets.ISO_8859_1)));
        dns.a("origin.test", "127.0.0.1");
        proxy = TestProxy.start(dir, """
                http {
                    log_format t '$host ct:$proxy_connect_connect_timeout dt:$proxy_connect_data_timeout '
                                 'st:$proxy_connect_send_timeout addr:$connect_addr';
                    access_log ${DIR}/access.log t;
                    resolver 127.0.0.1:%1$d;
                    proxy_connect_connect_timeout 11s;
                    proxy_connect_data_timeout 12s;
                    proxy_connect_send_timeout 13s;
                    proxy_connect_address origin.test:%2$d;
                    proxy_connect_bind 127.0.0.2;
                    proxy_connect_response "HTTP/1.1 200 Http Level\\r\\n\\r\\n";
                    server {
                        listen 127.0.0.1:${PORT};
                        server_name inherits.test;
                        proxy_connect;
                        proxy_connect_allow all;
                    }
                    server {
                        listen 127.0.0.1:${PORT};
                        server_name overrides.test;
                        proxy_connect;
                        proxy_connect_allow all;
                        proxy_connect_connect_timeout 21s;
                        proxy_connect_read_timeout 22s;
                        proxy_connect_send_timeout 23s;
                        proxy_connect_address "";
                        proxy_connect_bind 127.0.0.3;
                        proxy_connect_response "HTTP/1.1 200 Server Level\\r\\n\\r\\n";
                    }
                    server {
                        listen 127.0.0.1:${PORT};
                        server_name unbound.test;
                        proxy_connect;
                        proxy_connect_allow all;
                        proxy_connect_bind off;
                    }
                }
                """.formatted(dns.address().getPort(), origin.port()));
    }

    @AfterAll
    static void stop() {
        proxy.close();
        origin.close();
        dns.close();
    }

    @Test
    void aServerThatSetsNothingInheritsAllButTheResponse() throws Exception {
        // the CONNECT host is never dialled: the inherited address (a name, so the inherited resolver) is
        assertThat(tunnel("inherits.test", "nowhere.test:443"))
                .isEqualTo(TunnelConfig.ESTABLISHED + "127.0.0.2");
        assertThat(proxy.lastLine("access.log"))
                .isEqualTo("inherits.test ct:11000 dt:12000 st:13000 addr:127.0.0.1:" + origin.port());
        assertThat(dns.queries("origin.test", "A")).isGreaterThanOrEqualTo(1);
        assertThat(dns.queries("nowhere.test")).isZero();
    }

    @Test
    void aServerThatSetsThemReplacesThem() throws Exception {
        // an empty address means the CONNECT host: the server's own value replaced the inherited one
        assertThat(tunnel("overrides.test", "127.0.0.1:" + origin.port()))
                .isEqualTo("HTTP/1.1 200 Server Level\r\n\r\n127.0.0.3");
        assertThat(proxy.lastLine("access.log"))
                .isEqualTo("overrides.test ct:21000 dt:22000 st:23000 addr:127.0.0.1:" + origin.port());
    }

    @Test
    void bindOffStopsTheInheritedBind() throws Exception {
        assertThat(tunnel("unbound.test", "nowhere.test:443")).isEqualTo(TunnelConfig.ESTABLISHED + "127.0.0.1");
    }

    /** A tunnel through the server named {@code host}; returns everything the client received. */
    private static String tunnel(String host, String authority) throws Exception {
        try (RawClient client = RawClient.connect(proxy.address())) {
            client.send("CONNECT " + authority + " HTTP/1.1\r\nHost: " + host + "\r\n\r\n");
            return new String(client.readToEof(), StandardCharsets.ISO_8859_1);
        }
    }
}
