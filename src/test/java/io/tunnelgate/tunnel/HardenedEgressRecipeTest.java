package io.tunnelgate.tunnel;

import static io.tunnelgate.tunnel.DocsRecipesTest.replace;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import at.favre.lib.crypto.bcrypt.BCrypt;
import io.tunnelgate.testsupport.RawClient;
import io.tunnelgate.testsupport.StubDnsServer;
import io.tunnelgate.testsupport.TestFiles;
import io.tunnelgate.testsupport.TestProxy;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the hardened egress proxy of {@code docs/recipes.md} as written (only the listen port, the
 * resolver and the password file are the test's) and shows each of its defences refusing: the 407
 * and the retry on the same connection, the address rules after DNS and on literals (mapped IPv6
 * included), the port rule, the per-user host rules through {@code $remote_user} in a {@code map}
 * for CONNECT and for forwarding, the rate limit, and the access log naming the user.
 *
 * <p>Every address such a proxy may dial is outside loopback, so no tunnel is opened here: the
 * tunnels and requests its refusals let through are tested with permissive configs elsewhere. As a
 * backstop (not part of the recipe) the test binds each upstream socket to the other family's
 * loopback: should the policy ever let a private or link-local literal through, the connect fails
 * locally before any packet leaves, and the test fails without having dialled it.
 */
// by name, so the flood runs first: it proves it leaves the shared proxy's bucket alone
@TestMethodOrder(MethodOrderer.MethodName.class)
class HardenedEgressRecipeTest {
    private static final String ALICE = "alice";
    private static final String ROBOT = "ci-bot";
    private static final String PASSWORD = "s3cret";

    @TempDir
    static Path dir;
    private static StubDnsServer dns;
    private static TestProxy proxy;
    private static String config;

    @BeforeAll
    static void start() throws IOException {
        dns = StubDnsServer.start();
        for (String name : new String[] {"www.example.test", "deb.debian.org", "other.example.test"}) {
            dns.a(name, "127.0.0.1");
        }
        config = DocsRecipesTest.recipe("hardened-egress");
        proxy = startRecipe(dir);
    }

    /** The recipe with its log folder and password file in {@code home}. */
    private static TestProxy startRecipe(Path home) throws IOException {
        Files.createDirectories(home.resolve("logs"));
        String hash = new String(BCrypt.with(BCrypt.Version.VERSION_2Y).hash(5,
                PASSWORD.getBytes(StandardCharsets.US_ASCII)), StandardCharsets.US_ASCII);
        TestFiles.write(home, "egress.htpasswd",
                "# htpasswd -B\n" + ALICE + ":" + hash + "\n" + ROBOT + ":" + hash + "\n");
        // added on the lines they extend, so that error-log lines cite the recipe's line numbers
        String text = replace(config, "http {\n",
                "http { map $connect_host $test_bind { ~^\\[ 127.0.0.1; default ::1; }\n");
        text = replace(text, "        proxy_connect;\n", "        proxy_connect; proxy_connect_bind $test_bind;\n");
        text = replace(text, "listen 127.0.0.1:3128;", "listen 127.0.0.1:${PORT};");
        text = replace(text, "resolver 127.0.0.53 ", "resolver 127.0.0.1:" + dns.address().getPort() + " ");
        return TestProxy.start(home, text);
    }

    @AfterAll
    static void stop() {
        proxy.close();
        dns.close();
    }

    private static String credentials(String user, String password) {
        return "Proxy-Authorization: Basic " + Base64.getEncoder().encodeToString(
                (user + ":" + password).getBytes(StandardCharsets.US_ASCII)) + "\r\n";
    }

    private static String connect(String authority, String auth) {
        return "CONNECT " + authority + " HTTP/1.1\r\nHost: " + authority + "\r\n" + auth + "\r\n";
    }

    private static String get(String url, String auth) {
        String host = url.replaceFirst("^http://([^/]+).*$", "$1");
        return "GET " + url + " HTTP/1.1\r\nHost: " + host + "\r\n" + auth + "\r\n";
    }

    private static String exchange(String request) throws IOException {
        return exchange(proxy, request);
    }

    /** The line of {@code config} holding {@code text}, 1-based, as error-log lines cite it. */
    private static int line(String text) {
        List<String> lines = config.lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(text)) {
                return i + 1;
            }
        }
        throw new AssertionError(text + " not in the recipe");
    }

    private static void errorLogged(String text) {
        await().atMost(10, SECONDS).untilAsserted(() ->
                assertThat(proxy.lines("logs/error.log")).anyMatch(l -> l.contains(text)));
    }

    private static String exchange(TestProxy to, String request) throws IOException {
        try (RawClient c = RawClient.connect(to.address())) {
            return c.send(request).readResponse();
        }
    }

    private static String proxyStatus(String response) {
        return response.lines().filter(l -> l.startsWith("Proxy-Status: ")).findFirst().orElse(null);
    }

    @Test
    void asksForAPasswordThenRefusesANameThatPointsInside() throws Exception {
        try (RawClient c = RawClient.connect(proxy.address())) {
            String challenge = c.send(connect("www.example.test:443", "")).readResponse();
            assertThat(challenge).startsWith("HTTP/1.1 407 Proxy Authentication Required\r\n")
                    .contains("\r\nProxy-Authenticate: Basic realm=\"egress\"\r\n")
                    .contains("\r\nConnection: keep-alive\r\n");
            // the same connection, now with the password: past authentication, refused by the address
            String refused = c.send(connect("www.example.test:443", credentials(ALICE, PASSWORD))).readResponse();
            assertThat(refused).startsWith("HTTP/1.1 403 Forbidden\r\n");
            assertThat(proxyStatus(refused)).contains("error=destination_ip_prohibited");
        }
        errorLogged("proxy_connect: destination 127.0.0.1:443 denied by \"destination_deny loopback\" in "
                + dir.resolve(TestFiles.CONFIG_NAME) + ":" + line("destination_deny loopback;"));
        await().atMost(10, SECONDS).untilAsserted(() -> assertThat(proxy.lines("logs/egress.log")).anyMatch(l ->
                l.startsWith("127.0.0.1 alice [") && l.contains("\"CONNECT www.example.test:443 HTTP/1.1\" 403 ")
                        && l.contains(" to=127.0.0.1:443 up=- ") && l.endsWith(" conn=PASSED req=PASSED")));
    }

    @Test
    void aWrongPasswordIsAskedAgainAndLoggedWithoutIt() throws Exception {
        String r = exchange(connect("www.example.test:443", credentials(ALICE, "guess")));
        assertThat(RawClient.status(r)).isEqualTo(407);
        errorLogged("user \"alice\": password mismatch");
        assertThat(proxy.lines("logs/error.log")).noneMatch(l -> l.contains("guess"));
    }

    @Test
    void everyInsideRangeIsRefusedAsALiteralToo() throws Exception {
        String[][] cases = {
            {"[::ffff:127.0.0.1]:443", "loopback"}, {"10.1.2.3:443", "private"}, {"192.168.0.1:443", "private"},
            {"169.254.169.254:443", "link-local"}, {"224.0.0.1:443", "multicast"}, {"0.0.0.0:443", "unspecified"}};
        for (String[] c : cases) {
            String r = exchange(connect(c[0], credentials(ALICE, PASSWORD)));
            assertThat(r).as(c[0]).startsWith("HTTP/1.1 403 Forbidden\r\n");
            assertThat(proxyStatus(r)).as(c[0]).contains("error=destination_ip_prohibited");
            errorLogged("denied by \"destination_deny " + c[1] + "\" in ");
        }
    }

    @Test
    void onlyTheTlsPortsMayBeTunnelled() throws Exception {
        String r = exchange(connect("www.example.test:22", credentials(ALICE, PASSWORD)));
        assertThat(r).startsWith("HTTP/1.1 403 Forbidden\r\n");
        assertThat(proxyStatus(r)).contains("error=http_request_denied");
    }

    @Test
    void theRobotReachesItsMirrorsOnlyWhilePeopleReachAnyHost() throws Exception {
        int before = dns.queries("other.example.test");
        String robot = exchange(connect("other.example.test:443", credentials(ROBOT, PASSWORD)));
        assertThat(proxyStatus(robot)).contains("error=http_request_denied");
        errorLogged("proxy_connect: destination host \"other.example.test\" denied by \"destination_host_deny all\"");
        // refused by name: never looked up
        assertThat(dns.queries("other.example.test")).isEqualTo(before);

        // a mirror passes the host rules (and is refused here only because the stub DNS says 127.0.0.1)
        String mirror = exchange(connect("deb.debian.org:443", credentials(ROBOT, PASSWORD)));
        assertThat(proxyStatus(mirror)).contains("error=destination_ip_prohibited");
        String person = exchange(connect("other.example.test:443", credentials(ALICE, PASSWORD)));
        assertThat(proxyStatus(person)).contains("error=destination_ip_prohibited");
    }

    @Test
    void plainHttpFollowsTheSamePolicy() throws Exception {
        String robot = exchange(get("http://other.example.test/file", credentials(ROBOT, PASSWORD)));
        assertThat(RawClient.status(robot)).isEqualTo(403);
        assertThat(proxyStatus(robot)).contains("error=http_request_denied");
        String person = exchange(get("http://www.example.test/file", credentials(ALICE, PASSWORD)));
        assertThat(RawClient.status(person)).isEqualTo(403);
        assertThat(proxyStatus(person)).contains("error=destination_ip_prohibited");
        String anonymous = exchange(get("http://www.example.test/file", ""));
        assertThat(RawClient.status(anonymous)).isEqualTo(407);
    }

    @Test
    void aFloodOfRequestsIsCutToTheRate() throws Exception {
        // 300 pipelined requests: at 20r/s with a burst of 40, at most 41 + 20 per second pass.
        // A proxy of its own: the other tests' requests come from the same address and must not
        // meet an emptied bucket.
        int requests = 300;
        String one = connect("other.example.test:443", credentials(ROBOT, PASSWORD));
        try (TestProxy flooded = startRecipe(dir.resolve("flood"));
             RawClient c = RawClient.connect(flooded.address())) {
            c.send(one.repeat(requests));
            int limited = 0;
            String firstLimited = null;
            for (int i = 0; i < requests; i++) {
                String r = c.readResponse();
                if (RawClient.status(r) == 429) {
                    limited++;
                    firstLimited = firstLimited == null ? r : firstLimited;
                } else {
                    assertThat(RawClient.status(r)).isEqualTo(403);
                }
            }
            assertThat(limited).isPositive();
            assertThat(proxyStatus(firstLimited)).contains("error=http_request_denied");
            await().atMost(10, SECONDS).untilAsserted(() -> assertThat(flooded.lines("logs/error.log")).anyMatch(l ->
                    l.contains("limiting requests, excess: ") && l.contains(" by zone \"requests\"")));
        }
    }
}
