package io.tunnelgate.auth;

import static io.tunnelgate.auth.AuthFixtures.PASSWORD;
import static io.tunnelgate.auth.AuthFixtures.basic;
import static org.assertj.core.api.Assertions.assertThat;

import io.tunnelgate.testsupport.RawClient;
import io.tunnelgate.testsupport.TestFiles;
import io.tunnelgate.testsupport.TestProxy;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * nginx's access phase with {@code satisfy all | any} over allow/deny and authentication, for
 * proxy requests (absolute-form: 407) and origin-form ones (nginx's own 401 with
 * {@code WWW-Authenticate}), a realm with variables, {@code auth_basic off} in a location, and
 * {@code $remote_user} in a {@code map}. Content is static files: as in nginx, a {@code return}
 * answers in the rewrite phase, before access is checked.
 */
class SatisfyTest {
    private static final String CONFIG = """
            http {
                log_format who '$remote_user $who $status';
                access_log ${DIR}/access.log who;
                error_log ${DIR}/error.log info;
                map $remote_user $who {
                    default anonymous;
                    alice   "the first user";
                }
                auth_basic_user_file users;
                root www;
                server {
                    listen 127.0.0.1:${PORT};
                    server_name sat.test;
                    auth_basic "Tunnelgate";
                    location /all-deny/ {
                        deny 127.0.0.1;
                    }
                    location /all-allow/ {
                        allow 127.0.0.1;
                        deny all;
                    }
                    location /any-allow/ {
                        satisfy any;
                        allow 127.0.0.1;
                        deny all;
                    }
                    location /any-deny/ {
                        satisfy any;
                        deny all;
                    }
                    location /any-deny-no-auth/ {
                        satisfy any;
                        deny all;
                        auth_basic off;
                    }
                    location /off/ {
                        auth_basic off;
                    }
                }
                server {
                    listen 127.0.0.1:${PORT};
                    server_name site.test;
                    auth_basic "site $host";
                }
            }
            """;

    @TempDir
    static Path dir;
    private static TestProxy proxy;

    @BeforeAll
    static void start() {
        TestFiles.write(dir, "users", AuthFixtures.USERS);
        for (String location : List.of("all-deny", "all-allow", "any-allow", "any-deny", "any-deny-no-auth", "off")) {
            TestFiles.write(dir, "www/" + location + "/x.txt", "passed\n");
        }
        TestFiles.write(dir, "www/page.txt", "page\n");
        proxy = TestProxy.start(dir, CONFIG);
    }

    @AfterAll
    static void stop() {
        proxy.close();
    }

    /** Status for no credentials, the right password, a wrong one; "-" marks a case not asked. */
    @ParameterizedTest(name = "{0}: none {1}, good {2}, wrong {3}")
    @CsvSource({
        "all-deny,         403, 403, 403",
        "all-allow,        407, 200, 407",
        "any-allow,        200, 200, 200",
        "any-deny,         407, 200, 407",
        "any-deny-no-auth, 403, 403, 403",
        "off,              200, 200, 200"})
    void satisfyCombinesRulesAndAuthentication(String location, int none, int good, int wrong) throws Exception {
        String uri = "http://sat.test/" + location + "/x.txt";
        assertThat(proxyGet(uri, null).status()).as("no credentials").isEqualTo(none);
        assertThat(proxyGet(uri, basic("alice", PASSWORD)).status()).as("right password").isEqualTo(good);
        assertThat(proxyGet(uri, basic("alice", "nope")).status()).as("wrong password").isEqualTo(wrong);
    }

    @Test
    void aDenyWithSatisfyAllIsLoggedAndNeverAsksForAPassword() throws Exception {
        AuthFixtures.Mark mark = AuthFixtures.Mark.of(proxy);
        Response r = proxyGet("http://sat.test/all-deny/x.txt", null);
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.header("Proxy-Authenticate")).isNull();
        assertThat(r.header("Proxy-Status"))
                .isEqualTo("tunnelgate; error=http_request_denied; details=\"client denied by allow/deny rules\"");
        assertThat(mark.errorLines()).singleElement().asString().contains("[error]").contains("access forbidden by rule");
    }

    @Test
    void originFormRequestsGetNginxsChallenge() throws Exception {
        AuthFixtures.Mark mark = AuthFixtures.Mark.of(proxy);
        try (RawClient client = RawClient.connect(proxy.address())) {
            client.send("GET /page.txt HTTP/1.1\r\nHost: site.test\r\n\r\n");
            Response challenge = Response.parse(client.readResponse());
            assertThat(challenge.statusLine()).isEqualTo("HTTP/1.1 401 Unauthorized");
            assertThat(challenge.header("WWW-Authenticate")).isEqualTo("Basic realm=\"site site.test\"");
            assertThat(challenge.header("Proxy-Authenticate")).isNull();
            // the client addressed Tunnelgate as the origin: no intermediary's field
            assertThat(challenge.header("Proxy-Status")).isNull();
            assertThat(challenge.header("Connection")).isEqualTo("keep-alive");
            assertThat(challenge.body()).contains("<title>401 Authorization Required</title>");

            client.send("GET /page.txt HTTP/1.1\r\nHost: site.test\r\nProxy-Authorization: " + basic("alice", PASSWORD)
                    + "\r\n\r\n");
            assertThat(Response.parse(client.readResponse()).status()).as("proxy credentials do not count").isEqualTo(401);

            client.send("GET /page.txt HTTP/1.1\r\nHost: site.test\r\nAuthorization: " + basic("alice", PASSWORD) + "\r\n\r\n");
            Response ok = Response.parse(client.readResponse());
            assertThat(ok.status()).isEqualTo(200);
            assertThat(ok.body()).isEqualTo("page\n");
        }
        assertThat(mark.accessLines(3)).containsExactly("- anonymous 401", "- anonymous 401", "alice the first user 200");
    }

    private static Response proxyGet(String uri, String credentials) throws Exception {
        try (RawClient client = RawClient.connect(proxy.address())) {
            String host = URIs.host(uri);
            client.send("GET " + uri + " HTTP/1.1\r\nHost: " + host + "\r\n"
                    + (credentials == null ? "" : "Proxy-Authorization: " + credentials + "\r\n") + "\r\n");
            return Response.parse(client.readResponse());
        }
    }

    /** The host of an absolute URI. */
    private static final class URIs {
        static String host(String uri) {
            return java.net.URI.create(uri).getHost();
        }
    }
}
