package io.tunnelgate.tunnel;

import static org.assertj.core.api.Assertions.assertThat;

import io.tunnelgate.testsupport.RawClient;
import io.tunnelgate.testsupport.StubDnsServer;
import io.tunnelgate.testsupport.TestProxy;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server block users copy from the module's README ({@code shared/seeds/proxy_connect_module.txt})
 * runs unchanged but for loopback addresses: the listen address, and the resolver (the README's
 * public DNS server) replaced by a stub on loopback. The seed's copy lost two lines of the README
 * in extraction, the resolver address and {@code proxy_connect;}; both are restored as the README
 * has them. The tunnel goes to port 443, which the README's allow list permits, on 127.0.0.5.
 */
class SeedConfigTest {
    private static final String SEED = """
            http {
                access_log ${DIR}/access.log;
                server {
                    listen                         127.0.0.1:${PORT};

                    # dns resolver used by forward proxying
                    resolver                       127.0.0.1:%d;

                    # forward proxy for CONNECT request
                    proxy_connect;
                    proxy_connect_allow            443 563;
                    proxy_connect_connect_timeout  10s;
                    proxy_connect_read_timeout     10s;
                    proxy_connect_send_timeout     10s;

                    # forward proxy for non-CONNECT request
                    location / {
                        proxy_pass http://$host;
                        proxy_set_header Host $host;
                    }
                }
            }
            """;

    @TempDir
    Path dir;
    private StubDnsServer dns;
    private ServerSocket origin;
    private Thread originThread;

    @BeforeEach
    void setUp() throws IOException {
        dns = StubDnsServer.start().a("origin.example", "127.0.0.5");
        origin = new ServerSocket();
        origin.setReuseAddress(true);
        try {
            origin.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.5"), 443));
        } catch (BindException e) {
            org.junit.jupiter.api.Assumptions.abort("cannot bind 127.0.0.5:443 (needs root): " + e.getMessage());
        }
        originThread = new Thread(this::serveOneUppercase, "seed-origin");
        originThread.setDaemon(true);
        originThread.start();
    }

    /** One connection: answers each line in upper case, then closes on EOF. */
    private void serveOneUppercase() {
        try (Socket s = origin.accept(); InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
            int b;
            while ((b = in.read()) >= 0) {
                out.write(Character.toUpperCase(b));
                out.flush();
            }
        } catch (IOException e) {
            // the test fails on what the client sees
        }
    }

    @AfterEach
    void tearDown() throws Exception {
        origin.close();
        originThread.join(5000);
        dns.close();
    }

    @Test
    void tunnelsToANameThroughTheReadmeServerBlock() throws Exception {
        try (TestProxy proxy = TestProxy.start(dir, SEED.formatted(dns.address().getPort()));
             RawClient client = RawClient.connect(proxy.address())) {
            String head = client.requestTunnel("origin.example:443");
            assertThat(head).isEqualTo("HTTP/1.1 200 Connection Established\r\nProxy-agent: nginx\r\n\r\n");
            client.send("hello tunnel\n");
            assertThat(new String(client.readExactly(13), StandardCharsets.ISO_8859_1)).isEqualTo("HELLO TUNNEL\n");
            client.shutdownOutput();
            assertThat(client.awaitEof()).isTrue();
            assertThat(proxy.lastLine("access.log"))
                    .contains("\"CONNECT origin.example:443 HTTP/1.1\" 200 ");
        }
    }

    @Test
    void refusesPortsOutsideTheReadmeAllowList() throws Exception {
        try (TestProxy proxy = TestProxy.start(dir, SEED.formatted(dns.address().getPort()));
             RawClient client = RawClient.connect(proxy.address())) {
            String head = client.requestTunnel("origin.example:22");
            assertThat(RawClient.status(head)).isEqualTo(403);
        }
    }
}
