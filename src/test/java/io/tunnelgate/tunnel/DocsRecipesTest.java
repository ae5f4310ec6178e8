package io.tunnelgate.tunnel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tunnelgate.testsupport.Curl;
import io.tunnelgate.testsupport.HttpOrigin;
import io.tunnelgate.testsupport.RawClient;
import io.tunnelgate.testsupport.StubDnsServer;
import io.tunnelgate.testsupport.TestProxy;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the configurations of {@code docs/recipes.md} as the file has them, so the page and the
 * behaviour it describes cannot drift apart. Only the listen address (to a free loopback port), the
 * resolver (to a stub DNS server) and the pinned gateway address (to a test origin) are replaced,
 * and each of those must appear in the recipe exactly as expected.
 */
class DocsRecipesTest {
    private static final Path DOC = Path.of("docs", "recipes.md");
    private static final Pattern RECIPE = Pattern.compile("<!-- recipe: ([a-z-]+) -->\\n```nginx\\n(.*?)```",
            Pattern.DOTALL);

    @TempDir
    Path dir;
    private StubDnsServer dns;
    private HttpOrigin origin;

    @BeforeEach
    void start() throws IOException {
        dns = StubDnsServer.start();
        origin = new HttpOrigin();
        Files.createDirectories(dir.resolve("logs"));
    }

    @AfterEach
    void stop() {
        origin.close();
        dns.close();
    }

    @Test
    void perHostTimeouts() throws Exception {
        for (String name : new String[] {"slow.example.com", "eu.api.example.com", "www.example.com"}) {
            dns.a(name, "127.0.0.1");
        }
        try (TestProxy proxy = TestProxy.start(dir, withResolver(withListen(recipe("per-host-timeouts"))))) {
            // the tunnels go to 127.0.0.1:443, where nothing listens here: what counts is the timeouts used
            connect(proxy, "slow.example.com:443");
            assertThat(proxy.lastLine("logs/tunnel.log")).contains("\"CONNECT slow.example.com:443 HTTP/1.1\" ")
                    .endsWith(" connect_timeout=30000 data_timeout=300000");
            connect(proxy, "eu.api.example.com:443");
            assertThat(proxy.lastLine("logs/tunnel.log")).contains("\"CONNECT eu.api.example.com:443 HTTP/1.1\" ")
                    .endsWith(" connect_timeout=10000 data_timeout=15000");
            connect(proxy, "www.example.com:443");
            assertThat(proxy.lastLine("logs/tunnel.log")).contains("\"CONNECT www.example.com:443 HTTP/1.1\" ")
                    .endsWith(" connect_timeout=10000 data_timeout=60000");
            assertThat(RawClient.status(connect(proxy, "slow.example.com:8443"))).isEqualTo(403);
        }
    }

    @Test
    void pinnedAddressWithCurl() throws Exception {
        assumeTrue(Curl.available(), "curl is not installed");
        try (TestProxy proxy = TestProxy.start(dir, withOrigin(withListen(recipe("pinned-address"))))) {
            // no resolver in the recipe: the requested host is never looked up
            Curl.Result r = Curl.run("--proxytunnel", "--proxy", "http://127.0.0.1:" + proxy.port(),
                    "http://anything.example.com:443/hello");
            assertThat(r.exitCode()).as(r.stderr()).isZero();
            assertThat(r.stdout()).isEqualTo("hello");
            assertThat(origin.nextRequest().header("Host")).isEqualTo("anything.example.com:443");
            // curl may be gone before the proxy ends the tunnel and writes its line
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(proxy.lastLine("logs/tunnel.log"))
                    .matches("127\\.0\\.0\\.1 \\[.+] \"CONNECT anything\\.example\\.com:443 HTTP/1\\.1\" 200 "
                            + "127\\.0\\.0\\.1:" + origin.port()));
            // the port check looks at the CONNECT line, not at the pinned address
            assertThat(RawClient.status(connect(proxy, "anything.example.com:" + origin.port()))).isEqualTo(403);
        }
    }

    @Test
    void pinnedPerHost() throws Exception {
        dns.a("public.example.com", "127.0.0.1");
        try (TestProxy proxy = TestProxy.start(dir, withResolver(withOrigin(withListen(recipe("pinned-per-host")))));
             RawClient client = RawClient.connect(proxy.address())) {
            assertThat(client.requestTunnel("internal.example.com:443")).isEqualTo(TunnelConfig.ESTABLISHED);
            client.send("GET /x HTTP/1.1\r\nHost: internal.example.com\r\nConnection: close\r\n\r\n");
            assertThat(new String(client.readToEof(), StandardCharsets.ISO_8859_1)).endsWith("\r\n\r\nhello");
            assertThat(proxy.lastLine("logs/tunnel.log")).endsWith(" 200 127.0.0.1:" + origin.port());

            // other hosts are resolved and dialled on their own port (nothing listens on 443 here)
            connect(proxy, "public.example.com:443");
            assertThat(proxy.lastLine("logs/tunnel.log")).endsWith(" 127.0.0.1:443");
            assertThat(dns.queries("public.example.com", "A")).isEqualTo(1);
            assertThat(dns.queries("internal.example.com")).isZero();
        }
    }

    @Test
    void hostAllowList() throws Exception {
        for (String name : new String[] {"example.com", "a.example.org", "example.net", "b.example.net"}) {
            dns.a(name, "127.0.0.1");
        }
        try (TestProxy proxy = TestProxy.start(dir, withResolver(withListen(recipe("host-allow-list"))))) {
            // allowed names are resolved and dialled (nothing listens on 443 here: 502 is past the policy)
            for (String allowed : new String[] {"example.com", "a.example.org", "example.net", "b.example.net"}) {
                assertThat(RawClient.status(connect(proxy, allowed + ":443"))).as(allowed).isEqualTo(502);
                assertThat(proxy.lastLine("logs/tunnel.log")).contains("\"CONNECT " + allowed + ":443 HTTP/1.1\" 502 ")
                        .endsWith(" 127.0.0.1:443");
            }
            for (String refused : new String[] {"www.example.com", "example.org", "evil.test"}) {
                Logs403 line = refused(proxy, refused);
                assertThat(line.status()).as(refused).isEqualTo(403);
                assertThat(line.logLine()).contains("\"CONNECT " + refused + ":443 HTTP/1.1\" 403 ").endsWith(" -");
                assertThat(dns.queries(refused)).as("a refused host is never resolved").isZero();
            }
        }
    }

    /** A refused CONNECT: its status, and its log line (written shortly after the kept-alive 403). */
    private record Logs403(int status, String logLine) {
    }

    private static Logs403 refused(TestProxy proxy, String host) throws IOException {
        int before = proxy.lines("logs/tunnel.log").size();
        int status = RawClient.status(connect(proxy, host + ":443"));
        await().atMost(Duration.ofSeconds(5)).until(() -> proxy.lines("logs/tunnel.log").size() > before);
        return new Logs403(status, proxy.lastLine("logs/tunnel.log"));
    }

    /**
     * A CONNECT on its own connection; returns the head the proxy sent. When the proxy closes the
     * connection (a tunnel, or an error that closes), its log line is written by the time this returns.
     */
    private static String connect(TestProxy proxy, String authority) throws IOException {
        try (RawClient client = RawClient.connect(proxy.address())) {
            String head = client.requestTunnel(authority);
            if (RawClient.status(head) == 200) {
                client.shutdownOutput();
            }
            if (RawClient.status(head) == 200 || head.contains("\r\nConnection: close\r\n")) {
                client.readToEof();
            }
            return head;
        }
    }

    /** The config of the recipe {@code name}: the {@code nginx} block after its marker. */
    static String recipe(String name) throws IOException {
        Matcher m = RECIPE.matcher(Files.readString(DOC, StandardCharsets.UTF_8));
        while (m.find()) {
            if (m.group(1).equals(name)) {
                return m.group(2);
            }
        }
        throw new AssertionError("no recipe " + name + " in " + DOC);
    }

    private static String withListen(String config) {
        return replace(config, "listen 127.0.0.1:3128;", "listen 127.0.0.1:${PORT};");
    }

    private String withResolver(String config) {
        return replace(config, "resolver 127.0.0.53 ", "resolver 127.0.0.1:" + dns.address().getPort() + " ");
    }

    private String withOrigin(String config) {
        return replace(config, "192.0.2.10:8443", "127.0.0.1:" + origin.port());
    }

    /** Replaces {@code what}, which must occur exactly once. */
    static String replace(String config, String what, String with) {
        int at = config.indexOf(what);
        assertThat(at).as("'%s' in the recipe", what).isNotNegative();
        assertThat(config.indexOf(what, at + 1)).as("'%s' once in the recipe", what).isNegative();
        return config.replace(what, with);
    }
}
