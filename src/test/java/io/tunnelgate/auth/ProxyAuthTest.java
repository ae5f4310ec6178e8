package io.tunnelgate.auth;

import static io.tunnelgate.auth.AuthFixtures.PASSWORD;
import static io.tunnelgate.auth.AuthFixtures.basic;
import static org.assertj.core.api.Assertions.assertThat;

import at.favre.lib.crypto.bcrypt.BCrypt;
import io.tunnelgate.metrics.AuthStats;
import io.tunnelgate.testsupport.EchoServer;
import io.tunnelgate.testsupport.RawClient;
import io.tunnelgate.testsupport.TestFiles;
import io.tunnelgate.testsupport.TestProxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Proxy authentication of CONNECT on the wire: the 407 challenge keeps the connection, so the
 * client answers it on the same one and gets its tunnel; wrong and unknown credentials are
 * challenged again and logged in nginx's words without the password; every hash format works;
 * the counters count; {@code $remote_user} is logged.
 */
class ProxyAuthTest {
    private static final String CONFIG = """
            http {
                log_format auth '$remote_user "$request" $status';
                access_log ${DIR}/access.log auth;
                error_log ${DIR}/error.log info;
                server {
                    listen 127.0.0.1:${PORT};
                    server_name proxy.test;
                    proxy_connect;
                    proxy_connect_allow all;
                    auth_basic "Tunnelgate proxy";
                    auth_basic_user_file users;
                }
            }
            """;

    @TempDir
    static Path dir;
    private static TestProxy proxy;
    private static EchoServer echo;
    private static String target;

    @BeforeAll
    static void start() {
        // cost 12: a verification takes long enough for a client to leave during it
        String slow = new String(BCrypt.with(BCrypt.Version.VERSION_2Y).hash(12, PASSWORD.getBytes(StandardCharsets.US_ASCII)),
                StandardCharsets.US_ASCII);
        TestFiles.write(dir, "users", AuthFixtures.USERS + "slow:" + slow + "\n");
        proxy = TestProxy.start(dir, CONFIG);
        echo = new EchoServer();
        target = "127.0.0.1:" + echo.port();
    }

    @AfterAll
    static void stop() {
        proxy.close();
        echo.close();
    }

    @Test
    void aConnectWithoutCredentialsIsChallengedAndTheSameConnectionThenTunnels() throws Exception {
        AuthStats stats = stats();
        long missing = stats.missing();
        long successes = stats.successes();
        AuthFixtures.Mark mark = AuthFixtures.Mark.of(proxy);
        try (RawClient client = RawClient.connect(proxy.address())) {
            client.send("CONNECT " + target + " HTTP/1.1\r\nHost: " + target + "\r\n\r\n");
            Response challenge = Response.parse(client.readResponse());
            assertThat(challenge.statusLine()).isEqualTo("HTTP/1.1 407 Proxy Authentication Required");
            assertThat(challenge.header("Proxy-Authenticate")).isEqualTo("Basic realm=\"Tunnelgate proxy\"");
            assertThat(challenge.header("WWW-Authenticate")).isNull();
            assertThat(challenge.header("Connection")).isEqualTo("keep-alive");
            assertThat(challenge.header("Content-Type")).isEqualTo("text/html");
            assertThat(challenge.body()).contains("<head><title>407 Proxy Authentication Required</title></head>")
                    .contains("<center><h1>407 Proxy Authentication Required</h1></center>");

            client.send("CONNECT " + target + " HTTP/1.1\r\nHost: " + target + "\r\nProxy-Authorization: "
                    + basic("alice", PASSWORD) + "\r\n\r\n");
            assertThat(RawClient.status(client.readHead())).isEqualTo(200);
            client.send("ping\n");
            assertThat(new String(client.readExactly(5), StandardCharsets.US_ASCII)).isEqualTo("ping\n");
        }
        assertThat(mark.accessLines(2)).containsExactly("- \"CONNECT " + target + " HTTP/1.1\" 407",
                "alice \"CONNECT " + target + " HTTP/1.1\" 200");
        List<String> errors = mark.errorLines();
        assertThat(errors).noneMatch(l -> l.contains("[error]"));
        assertThat(errors).anyMatch(l -> l.contains("[info]")
                && l.contains("no user/password was provided for basic authentication, client: 127.0.0.1"));
        assertThat(stats.missing() - missing).isEqualTo(1);
        assertThat(stats.successes() - successes).isEqualTo(1);
    }

    @Test
    void aWrongPasswordIsChallengedAgainAndLoggedWithoutThePassword() throws Exception {
        long failures = stats().failures();
        AuthFixtures.Mark mark = AuthFixtures.Mark.of(proxy);
        try (RawClient client = RawClient.connect(proxy.address())) {
            Response r = connect(client, basic("alice", "Wr0ngHorse"));
            assertThat(r.status()).isEqualTo(407);
            assertThat(r.header("Proxy-Authenticate")).isEqualTo("Basic realm=\"Tunnelgate proxy\"");
            assertThat(connect(client, basic("alice", PASSWORD)).status()).as("same connection").isEqualTo(200);
        }
        List<String> errors = mark.errorLines();
        assertThat(errors).filteredOn(l -> l.contains("[error]")).singleElement().asString()
                .contains("user \"alice\": password mismatch, client: 127.0.0.1, server: proxy.test, "
                        + "request: \"CONNECT " + target + " HTTP/1.1\"");
        assertThat(String.join("\n", proxy.lines("error.log")) + String.join("\n", proxy.lines("access.log")))
                .doesNotContain("Wr0ngHorse").doesNotContain(PASSWORD);
        assertThat(mark.accessLines(2).get(0)).isEqualTo("alice \"CONNECT " + target + " HTTP/1.1\" 407");
        assertThat(stats().failures() - failures).isEqualTo(1);
    }

    @Test
    void anUnknownUserIsNamedWithTheFile() throws Exception {
        long failures = stats().failures();
        AuthFixtures.Mark mark = AuthFixtures.Mark.of(proxy);
        try (RawClient client = RawClient.connect(proxy.address())) {
            assertThat(connect(client, basic("bob", PASSWORD)).status()).isEqualTo(407);
        }
        assertThat(mark.errorLines()).filteredOn(l -> l.contains("[error]")).singleElement().asString()
                .contains("user \"bob\" was not found in \"" + dir.resolve("users") + "\", client: 127.0.0.1");
        assertThat(stats().failures() - failures).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"alice", "bcrypt2a", "bcrypt2b", "apr1", "md5", "sha256", "sha512", "sha1", "ssha", "plain"})
    void everyHashFormatOpensATunnel(String user) throws Exception {
        try (RawClient client = RawClient.connect(proxy.address())) {
            assertThat(connect(client, basic(user, PASSWORD)).status()).isEqualTo(200);
            client.send("x");
            assertThat(client.readExactly(1)).containsExactly('x');
        }
        try (RawClient client = RawClient.connect(proxy.address())) {
            assertThat(connect(client, basic(user, PASSWORD + "!")).status()).isEqualTo(407);
        }
    }

    @Test
    void aClientsNextTunnelIsAcceptedFromTheCache() throws Exception {
        try (RawClient client = RawClient.connect(proxy.address())) {
            assertThat(connect(client, basic("sha512", PASSWORD)).status()).isEqualTo(200);
        }
        long hits = stats().cacheHits();
        long successes = stats().successes();
        try (RawClient client = RawClient.connect(proxy.address())) {
            assertThat(connect(client, basic("sha512", PASSWORD)).status()).isEqualTo(200);
        }
        assertThat(stats().cacheHits() - hits).isEqualTo(1);
        assertThat(stats().successes() - successes).isEqualTo(1);
    }

    @Test
    void anOriginsAuthorizationHeaderIsNotProxyCredentials() throws Exception {
        try (RawClient client = RawClient.connect(proxy.address())) {
            client.send("CONNECT " + target + " HTTP/1.1\r\nHost: " + target + "\r\nAuthorization: "
                    + basic("alice", PASSWORD) + "\r\n\r\n");
            assertThat(Response.parse(client.readResponse()).status()).isEqualTo(407);
        }
    }

    @Test
    void aClientThatLeavesDuringVerificationIsLoggedAs499() throws Exception {
        AuthFixtures.Mark mark = AuthFixtures.Mark.of(proxy);
        long successes = stats().successes();
        try (RawClient client = RawClient.connect(proxy.address())) {
            client.send("CONNECT " + target + " HTTP/1.1\r\nHost: " + target + "\r\nProxy-Authorization: "
                    + basic("slow", PASSWORD) + "\r\n\r\n");
            client.reset();
        }
        assertThat(mark.accessLines(1)).containsExactly("slow \"CONNECT " + target + " HTTP/1.1\" 499");
        assertThat(stats().successes() - successes).as("the password was right all the same").isEqualTo(1);
    }

    /** Sends a CONNECT with {@code Proxy-Authorization: credentials}; a 200's tunnel stays unread. */
    private static Response connect(RawClient client, String credentials) throws Exception {
        client.send("CONNECT " + target + " HTTP/1.1\r\nHost: " + target + "\r\nProxy-Authorization: " + credentials
                + "\r\n\r\n");
        return Response.parse(client.readResponse());
    }

    private static AuthStats stats() {
        return proxy.server().services().authStats();
    }
}
