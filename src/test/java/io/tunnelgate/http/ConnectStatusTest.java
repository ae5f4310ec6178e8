package io.tunnelgate.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.tunnelgate.testsupport.Loopback;
import io.tunnelgate.testsupport.RawClient;
import io.tunnelgate.testsupport.StubDnsServer;
import io.tunnelgate.testsupport.TestProxy;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The module's status matrix (spec §3.9) for what the core decides before a tunnel exists: 405
 * for a server without proxy_connect, 403 for a port outside the allow list, 502 without a
 * resolver (all three keep HTTP/1.1 connections alive), and 502 for DNS failures and a refused
 * connect (these close). Each is checked on the wire, in the access log and in the error log.
 */
class ConnectStatusTest {
    private static final String CONFIG = """
            http {
                log_format t '"$request" $status $bytes_sent $body_bytes_sent $host';
                access_log ${DIR}/access.log t;
                error_log ${DIR}/error.log info;
                server {
                    listen 127.0.0.1:${PORT};
                    server_name proxy.test;
                    proxy_connect;
                }
                server {
                    listen 127.0.0.1:${PORT};
                    server_name ranges.test;
                    proxy_connect;
                    proxy_connect_allow 1000-2000 3000;
                }
                server {
                    listen 127.0.0.1:${PORT};
                    server_name all.test;
                    proxy_connect;
                    proxy_connect_allow all;
                }
                server {
                    listen 127.0.0.1:${PORT};
                    server_name dns.test;
                    proxy_connect;
                    proxy_connect_allow all;
                    resolver 127.0.0.1:%d ipv6=off;
                    resolver_timeout 300ms;
                }
                server {
                    listen 127.0.0.1:${PORT};
                    server_name forbidden.example.com;
                    return 200 "server rewrite ran";
                }
                server {
                    listen 127.0.0.1:${PORT};
                    server_name address.com;
                    proxy_connect;
                    return 200 "skip proxy connect: $host,$uri,$request_uri,$args\\n";
                }
            }
            """;

    @TempDir
    static Path dir;
    private static StubDnsServer dns;
    private static TestProxy proxy;

    @BeforeAll
    static void start() {
        dns = StubDnsServer.start()
                .rcode("nxdomain.test", StubDnsServer.Rcode.NXDOMAIN)
                .rcode("servfail.test", StubDnsServer.Rcode.SERVFAIL)
                .drop("silent.test")
                .a("refused.test", "127.0.0.1");
        proxy = TestProxy.start(dir, CONFIG.formatted(dns.address().getPort()));
    }

    @AfterAll
    static void stop() {
        proxy.close();
        dns.close();
    }

    // 405

    @Test
    void serverWithoutProxyConnectAnswers405BeforeItsReturnAndKeepsAlive() throws Exception {
        try (RawClient client = RawClient.connect(proxy.address())) {
            for (int i = 0; i < 2; i++) {
                Logs logs = Logs.mark(proxy);
                client.send("CONNECT a.test:443 HTTP/1.1\r\nHost: forbidden.example.com\r\n\r\n");
                Reply reply = Reply.read(client);
                reply.assertPage("HTTP/1.1 405 Not Allowed", "405 Not Allowed", false);
                assertThat(logs.accessLine()).isEqualTo("\"CONNECT a.test:443 HTTP/1.1\" 405 "
                        + reply.wireLength() + " " + reply.body().length() + " forbidden.example.com");
                assertThat(logs.errorLine("info", "proxy_connect: client sent connect method"))
                        .contains("server: forbidden.example.com, request: \"CONNECT a.test:443 HTTP/1.1\"");
            }
        }
    }

    @Test
    void http10ConnectTo405ServerCloses() throws Exception {
        Logs logs = Logs.mark(proxy);
        try (RawClient client = RawClient.connect(proxy.address())) {
            client.send("CONNECT a.test:443 HTTP/1.0\r\nHost: forbidden.example.com\r\n\r\n");
            Reply.read(client).assertPage("HTTP/1.1 405 Not Allowed", "405 Not Allowed", true);
            assertThat(client.awaitEof()).isTrue();
        }
        assertThat(logs.accessLine()).contains("\" 405 ");
    }

    // server-level return

    @Test
    void serverLevelReturnAnswersConnectWithEmptyUriVariables() throws Exception {
        Logs logs = Logs.mark(proxy);
        try (RawClient client = RawClient.connect(proxy.address())) {
            client.send("CONNECT 127.0.0.1:443 HTTP/1.1\r\nHost: address.com\r\n\r\n");
            Reply reply = Reply.read(client);
            reply.assertMade("HTTP/1.1 200 OK", false, true);
            assertThat(reply.header("Content-Type")).isEqualTo("text/plain");
            assertThat(reply.body()).isEqualTo("skip proxy connect: address.com,,,\n");
            assertThat(logs.accessLine()).isEqualTo("\"CONNECT 127.0.0.1:443 HTTP/1.1\" 200 "
                    + reply.wireLength() + " " + reply.body().length() + " address.com");
        }
        assertThat(logs.newErrorLines()).isEmpty();
    }

    // 403: port check

    @ParameterizedTest(name = "port {0}")
    @ValueSource(ints = {22, 80, 442, 444, 562, 564, 8443})
    void defaultAllowListRefusesOtherPortsWith403AndKeepsAlive(int port) throws Exception {
        assert403ThenKeptAlive("proxy.test", "a.test:" + port);
    }

    @ParameterizedTest(name = "port {0}")
    @ValueSource(ints = {443, 563})
    void defaultAllowListAccepts443And563(int port) throws Exception {
        assertPassesPortCheck("proxy.test", "a.test:" + port);
    }

    @ParameterizedTest(name = "port {0}")
    @ValueSource(ints = {443, 999, 2001, 2999, 3001})
    void explicitAllowListRefusesPortsOutsideIt(int port) throws Exception {
        assert403ThenKeptAlive("ranges.test", "a.test:" + port);
    }

    @ParameterizedTest(name = "port {0}")
    @ValueSource(ints = {1000, 1500, 2000, 3000})
    void explicitAllowListAcceptsRangeEndsAndSinglePort(int port) throws Exception {
        assertPassesPortCheck("ranges.test", "a.test:" + port);
    }

    @ParameterizedTest(name = "port {0}")
    @ValueSource(ints = {1, 22, 65535})
    void allowAllAcceptsAnyPort(int port) throws Exception {
        assertPassesPortCheck("all.test", "a.test:" + port);
    }

    @Test
    void portIsCheckedAsWrittenInTheRequestLineNotTheHostHeader() throws Exception {
        // the Host header's port (443) would pass; the request line's (22) decides
        assert403ThenKeptAlive("proxy.test:443", "a.test:22");
    }

    // 502

    @Test
    void noResolverIs502AndKeepsAlive() throws Exception {
        try (RawClient client = RawClient.connect(proxy.address())) {
            Logs logs = Logs.mark(proxy);
            client.send("CONNECT Name.Test.:443 HTTP/1.1\r\nHost: proxy.test\r\n\r\n");
            Reply reply = Reply.read(client);
            reply.assertPage("HTTP/1.1 502 Bad Gateway", "502 Bad Gateway", false);
            assertThat(logs.accessLine()).isEqualTo("\"CONNECT Name.Test.:443 HTTP/1.1\" 502 "
                    + reply.wireLength() + " " + reply.body().length() + " proxy.test");
            logs.errorLine("error", "proxy_connect: no resolver defined to resolve name.test");
            assertSecondRequestAnswered(client);
        }
    }

    @Test
    void nxdomainIs502AndCloses() throws Exception {
        assertDnsFailure("nxdomain.test", "(3: Host not found)");
    }

    @Test
    void noRecordsIs502HostNotFound() throws Exception {
        assertDnsFailure("unknown.test", "(3: Host not found)");
    }

    @Test
    void servfailIs502AndCloses() throws Exception {
        assertDnsFailure("servfail.test", "(2: Server failure)");
    }

    @Test
    void resolverTimeoutIs502AndCloses() throws Exception {
        assertDnsFailure("silent.test", "(110: Operation timed out)");
    }

    @Test
    void refusedConnectIs502AndCloses() throws Exception {
        int port = Loopback.closedPort();
        assertConnectRefused("127.0.0.1:" + port);
    }

    @Test
    void refusedConnectToAResolvedNameIs502AndCloses() throws Exception {
        int port = Loopback.closedPort();
        assertConnectRefused("refused.test:" + port);
    }

    @Test
    void ipLiteralWithLeadingZerosIsDialledWithoutAResolver() throws Exception {
        // all.test has no resolver: a name would fail with "no resolver defined"
        int port = Loopback.closedPort();
        assertConnectRefused("127.0.0.01:" + port, "all.test");
    }

    private static void assertDnsFailure(String name, String why) throws Exception {
        Logs logs = Logs.mark(proxy);
        String line = "CONNECT " + name + ":443 HTTP/1.1";
        Reply reply = closingExchange(line + "\r\nHost: dns.test\r\n\r\n");
        reply.assertPage("HTTP/1.1 502 Bad Gateway", "502 Bad Gateway", true);
        assertThat(logs.accessLine()).isEqualTo("\"" + line + "\" 502 " + reply.wireLength() + " "
                + reply.body().length() + " dns.test");
        logs.errorLine("error", "proxy_connect: " + name + " could not be resolved " + why);
    }

    private static void assertConnectRefused(String authority) throws Exception {
        assertConnectRefused(authority, "dns.test");
    }

    private static void assertConnectRefused(String authority, String host) throws Exception {
        Logs logs = Logs.mark(proxy);
        String line = "CONNECT " + authority + " HTTP/1.1";
        Reply reply = closingExchange(line + "\r\nHost: " + host + "\r\n\r\n");
        reply.assertPage("HTTP/1.1 502 Bad Gateway", "502 Bad Gateway", true);
        assertThat(logs.accessLine()).startsWith("\"" + line + "\" 502 " + reply.wireLength() + " ");
        logs.errorLine("error",
                "proxy_connect: upstream connect failed (111: Connection refused) while connecting to upstream");
    }

    private static void assert403ThenKeptAlive(String host, String authority) throws Exception {
        try (RawClient client = RawClient.connect(proxy.address())) {
            Logs logs = Logs.mark(proxy);
            String line = "CONNECT " + authority + " HTTP/1.1";
            client.send(line + "\r\nHost: " + host + "\r\n\r\n");
            Reply reply = Reply.read(client);
            reply.assertPage("HTTP/1.1 403 Forbidden", "403 Forbidden", false);
            assertThat(logs.accessLine()).startsWith("\"" + line + "\" 403 " + reply.wireLength() + " "
                    + reply.body().length() + " ");
            assertThat(logs.newErrorLines()).as("no error-log line for a refused port").isEmpty();
            assertSecondRequestAnswered(client);
        }
    }

    /** The port check passed: the request went on to the resolver, which these servers lack. */
    private static void assertPassesPortCheck(String host, String authority) throws Exception {
        try (RawClient client = RawClient.connect(proxy.address())) {
            Logs logs = Logs.mark(proxy);
            client.send("CONNECT " + authority + " HTTP/1.1\r\nHost: " + host + "\r\n\r\n");
            assertThat(Reply.read(client).status()).isEqualTo(502);
            assertThat(logs.accessLine()).contains(" 502 ");
            logs.errorLine("error", "proxy_connect: no resolver defined to resolve a.test");
        }
    }

    /** The connection is still usable: another request on it gets its answer. */
    private static void assertSecondRequestAnswered(RawClient client) throws Exception {
        Logs logs = Logs.mark(proxy);
        client.send("CONNECT a.test:22 HTTP/1.1\r\nHost: proxy.test\r\n\r\n");
        assertThat(Reply.read(client).status()).isEqualTo(403);
        assertThat(logs.accessLine()).startsWith("\"CONNECT a.test:22 HTTP/1.1\" 403 ");
    }

    private static Reply closingExchange(String request) throws Exception {
        try (RawClient client = RawClient.connect(proxy.address())) {
            client.send(request);
            Reply reply = Reply.read(client);
            assertThat(client.awaitEof()).as("closed after the response").isTrue();
            return reply;
        }
    }
}
