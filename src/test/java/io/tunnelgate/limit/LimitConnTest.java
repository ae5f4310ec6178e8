package io.tunnelgate.limit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tunnelgate.testsupport.EchoServer;
import io.tunnelgate.testsupport.HttpWire;
import io.tunnelgate.testsupport.Loopback;
import io.tunnelgate.testsupport.RawClient;
import io.tunnelgate.testsupport.ScriptedServer;
import io.tunnelgate.testsupport.TestFiles;
import io.tunnelgate.testsupport.TestProxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * limit_conn end to end: a CONNECT holds its slot for the tunnel's whole life, a refused CONNECT
 * leaves the connection open for another try, keys count separately (an empty key not at all), a
 * CONNECT that fails before its tunnel gives its slot back, and a plain request holds its slot
 * until it is answered. Two event loops, so that tunnels of one client share the zone across threads.
 */
class LimitConnTest {
    static final String ESTABLISHED = "HTTP/1.1 200 Connection Established\r\nProxy-agent: nginx\r\n\r\n";
    private static final String CONFIG = """
            worker_processes 2;
            error_log ${DIR}/error.log info;
            events { }
            http {
                log_format limits 'st:$status cs:$limit_conn_status rs:$limit_req_status user:$http_x_user';
                access_log ${DIR}/access.log limits;
                limit_conn_zone $binary_remote_addr zone=perip:1m;
                limit_conn_zone $http_x_user zone=peruser:1m;
                server {
                    listen 127.0.0.1:${PORT};
                    server_name tunnels;
                    proxy_connect;
                    proxy_connect_allow all;
                    limit_conn perip 2;
                    limit_conn_status 429;
                }
                server {
                    listen 127.0.0.1:${PORT};
                    server_name users;
                    proxy_connect;
                    proxy_connect_allow all;
                    limit_conn peruser 1;
                    %s
                }
                server {
                    listen 127.0.0.1:${PORT};
                    server_name web;
                    limit_conn perip 1;
                    location /slow {
                        proxy_pass http://127.0.0.1:%d;
                    }
                    # not "return": it answers in the rewrite phase, before any limit (as in nginx)
                    location = /fast.txt {
                        root ${DIR};
                    }
                }
            }
            """;

    @TempDir
    Path dir;

    private TestProxy start(String usersExtra, int originPort) {
        TestFiles.write(dir, "fast.txt", "fast\n");
        return TestProxy.start(dir, CONFIG.formatted(usersExtra, originPort));
    }

    @Test
    void aThirdTunnelIsRefusedUntilOneOfTwoCloses() throws Exception {
        try (EchoServer echo = new EchoServer();
             TestProxy proxy = start("", 9);
             RawClient a = RawClient.connect(proxy.address());
             RawClient b = RawClient.connect(proxy.address());
             RawClient c = RawClient.connect(proxy.address())) {
            String target = Loopback.hostPort(echo.port());
            assertThat(a.requestTunnel(target)).isEqualTo(ESTABLISHED);
            assertThat(b.requestTunnel(target)).isEqualTo(ESTABLISHED);
            String refused = c.send(connect(target, "tunnels", null)).readResponse();
            assertThat(RawClient.status(refused)).isEqualTo(429);
            assertThat(refused).doesNotContainIgnoringCase("Connection: close").contains(
                    "\r\nProxy-Status: tunnelgate; error=http_request_denied; details=\"request limit exceeded\"\r\n");
            proxy.settleLogs("error.log");
            assertThat(proxy.lines("error.log")).anyMatch(l -> l.contains("[error]")
                    && l.contains("limiting connections by zone \"perip\""));

            // the open tunnels are unaffected
            assertThat(echo(a, "ping")).isEqualTo("ping");
            a.close();
            // the tunnel's line is written after its slot was given back
            awaitLines(proxy, l -> l.startsWith("st:200 cs:PASSED"), 1);

            assertThat(c.requestTunnel(target)).as("same connection, second try").isEqualTo(ESTABLISHED);
            assertThat(echo(c, "pong")).isEqualTo("pong");
            proxy.settleLogs("access.log");
            assertThat(proxy.lines("access.log")).contains("st:429 cs:REJECTED rs:- user:-");
        }
    }

    @Test
    void keysCountSeparatelyAndAnEmptyKeyIsNotCounted() throws Exception {
        try (EchoServer echo = new EchoServer();
             TestProxy proxy = start("", 9);
             RawClient alice = RawClient.connect(proxy.address());
             RawClient alice2 = RawClient.connect(proxy.address());
             RawClient bob = RawClient.connect(proxy.address());
             RawClient anon = RawClient.connect(proxy.address());
             RawClient anon2 = RawClient.connect(proxy.address())) {
            String target = Loopback.hostPort(echo.port());
            assertThat(alice.send(connect(target, "users", "alice")).readHead()).isEqualTo(ESTABLISHED);
            assertThat(RawClient.status(alice2.send(connect(target, "users", "alice")).readResponse())).isEqualTo(503);
            assertThat(bob.send(connect(target, "users", "bob")).readHead()).isEqualTo(ESTABLISHED);
            assertThat(anon.send(connect(target, "users", null)).readHead()).isEqualTo(ESTABLISHED);
            assertThat(anon2.send(connect(target, "users", null)).readHead()).isEqualTo(ESTABLISHED);

            alice.close();
            bob.close();
            anon.close();
            anon2.close();
            awaitLines(proxy, l -> l.startsWith("st:200"), 4);
            assertThat(proxy.lines("access.log")).containsExactlyInAnyOrder(
                    "st:503 cs:REJECTED rs:- user:alice", "st:200 cs:PASSED rs:- user:alice",
                    "st:200 cs:PASSED rs:- user:bob", "st:200 cs:- rs:- user:-", "st:200 cs:- rs:- user:-");
        }
    }

    @Test
    void aConnectThatFailsBeforeItsTunnelGivesItsSlotBack() throws Exception {
        try (EchoServer echo = new EchoServer();
             TestProxy proxy = start("", 9)) {
            try (RawClient failing = RawClient.connect(proxy.address())) {
                String closed = Loopback.hostPort(Loopback.closedPort());
                assertThat(RawClient.status(failing.send(connect(closed, "users", "carol")).readResponse()))
                        .isEqualTo(502);
            }
            awaitLines(proxy, l -> l.startsWith("st:502 cs:PASSED"), 1);
            try (RawClient again = RawClient.connect(proxy.address())) {
                String target = Loopback.hostPort(echo.port());
                assertThat(again.send(connect(target, "users", "carol")).readHead()).isEqualTo(ESTABLISHED);
            }
        }
    }

    @Test
    void dryRunCountsAndLogsButRefusesNothing() throws Exception {
        try (EchoServer echo = new EchoServer();
             TestProxy proxy = start("limit_conn_dry_run on; limit_conn_log_level warn;", 9);
             RawClient first = RawClient.connect(proxy.address());
             RawClient second = RawClient.connect(proxy.address())) {
            String target = Loopback.hostPort(echo.port());
            assertThat(first.send(connect(target, "users", "dave")).readHead()).isEqualTo(ESTABLISHED);
            assertThat(second.send(connect(target, "users", "dave")).readHead()).isEqualTo(ESTABLISHED);
            first.close();
            second.close();
            awaitLines(proxy, l -> l.startsWith("st:200"), 2);
            assertThat(proxy.lines("access.log")).containsExactlyInAnyOrder(
                    "st:200 cs:PASSED rs:- user:dave", "st:200 cs:REJECTED_DRY_RUN rs:- user:dave");
            assertThat(proxy.lines("error.log")).anyMatch(l -> l.contains("[warn]")
                    && l.contains("limiting connections, dry run, by zone \"peruser\""));
        }
    }

    @Test
    void aPlainRequestHoldsItsSlotUntilAnsweredAndAKeptAliveConnectionIsCountedPerRequest() throws Exception {
        CountDownLatch answer = new CountDownLatch(1);
        CompletableFuture<Void> arrived = new CompletableFuture<>();
        try (ScriptedServer origin = new ScriptedServer(socket -> {
                HttpWire.readHead(socket.getInputStream());
                arrived.complete(null);
                answer.await(10, TimeUnit.SECONDS);
                socket.getOutputStream().write("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nslow\n"
                        .getBytes(StandardCharsets.ISO_8859_1));
                ScriptedServer.holdUntilClosed();
            });
             TestProxy proxy = start("", origin.port());
             RawClient slow = RawClient.connect(proxy.address());
             RawClient other = RawClient.connect(proxy.address())) {
            slow.send(get("/slow"));
            arrived.get(10, TimeUnit.SECONDS);
            assertThat(RawClient.status(other.send(get("/fast.txt")).readResponse())).isEqualTo(503);

            answer.countDown();
            assertThat(slow.readResponse()).endsWith("slow\n");
            awaitLines(proxy, l -> l.startsWith("st:200 cs:PASSED"), 1);
            // the refused connection stayed open; one request at a time passes on a kept-alive connection
            for (int i = 0; i < 3; i++) {
                assertThat(other.send(get("/fast.txt")).readResponse()).endsWith("fast\n");
            }
        }
    }

    private static String connect(String target, String host, String user) {
        return "CONNECT " + target + " HTTP/1.1\r\nHost: " + host + "\r\n"
                + (user == null ? "" : "X-User: " + user + "\r\n") + "\r\n";
    }

    private static String get(String path) {
        return "GET " + path + " HTTP/1.1\r\nHost: web\r\n\r\n";
    }

    private static String echo(RawClient client, String text) throws Exception {
        client.send(text);
        return new String(client.readExactly(text.length()), StandardCharsets.ISO_8859_1);
    }

    /** Waits until the access log has {@code n} lines matching {@code which}. */
    static void awaitLines(TestProxy proxy, java.util.function.Predicate<String> which, int n) {
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(10)).until(() -> {
            List<String> lines = proxy.lines("access.log");
            return lines.stream().filter(which).count() >= n;
        });
    }
}
