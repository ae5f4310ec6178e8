package io.tunnelgate.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tunnelgate.testsupport.Loopback;
import io.tunnelgate.testsupport.RawClient;
import io.tunnelgate.testsupport.ScriptedServer;
import io.tunnelgate.testsupport.TestProxy;
import io.tunnelgate.tunnel.PendingConnectPort;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The failures whose words come from the kernel (errno) look the same on io_uring as on epoll: each scenario runs
 * on both, and the response the client gets (without its Date) and the error-log lines (without time, pid#tid and
 * connection number) are equal, and are nginx's. Covers a refused, a timed-out and a bind-failing CONNECT, a
 * refused and a reset proxy_pass, and listen sockets that cannot be bound.
 */
class TransportParityTest {
    private static final Pattern LINE_PREFIX = Pattern.compile("^\\S+ \\S+ (\\[\\w+\\]) \\d+#\\d+: (\\*\\d+ )?");

    @TempDir
    Path dir;

    /** What a client saw and what the error log said, normalised so that two runs can be compared. */
    record Outcome(String response, List<String> errors) {
    }

    @BeforeAll
    static void needsBothTransports() {
        UringConfig.assumeIoUring();
        assumeTrue(Transport.EPOLL.isAvailable(), "epoll is not available here: nothing to compare with");
    }

    @Test
    void aRefusedConnect() throws Exception {
        String peer = Loopback.hostPort(Loopback.closedPort());
        Outcome outcome = same(t -> tunnel(t, "", peer));
        assertThat(outcome.response()).startsWith("HTTP/1.1 502 Bad Gateway\r\n");
        assertThat(outcome.errors()).containsExactly("[error] *N proxy_connect: upstream connect failed "
                + "(111: Connection refused) while connecting to upstream, client: 127.0.0.1, server: , "
                + "request: \"CONNECT " + peer + " HTTP/1.1\", host: \"" + peer + "\"");
    }

    @Test
    void aConnectThatTimesOut() throws Exception {
        try (PendingConnectPort pending = PendingConnectPort.open()) {
            String peer = Loopback.hostPort(pending.port());
            Outcome outcome = same(t -> tunnel(t, "proxy_connect_connect_timeout 200ms;", peer));
            assertThat(outcome.response()).startsWith("HTTP/1.1 504 Gateway Time-out\r\n");
            assertThat(outcome.errors()).singleElement().asString()
                    .startsWith("[error] *N proxy_connect: upstream connect timed out (peer:" + peer + ")");
        }
    }

    @Test
    void aConnectWhoseBindFails() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, Loopback.IPV4)) {
            String peer = Loopback.hostPort(Loopback.closedPort());
            Outcome outcome = same(t -> tunnel(t, "proxy_connect_bind 127.0.0.1:" + taken.getLocalPort() + ";", peer));
            assertThat(outcome.response()).startsWith("HTTP/1.1 500 Internal Server Error\r\n");
            assertThat(outcome.errors()).singleElement().asString().startsWith("[crit] *N bind(127.0.0.1:"
                    + taken.getLocalPort() + ") failed (98: Address already in use) while connecting to upstream");
        }
    }

    @Test
    void aRefusedProxyPass() throws Exception {
        int closed = Loopback.closedPort();
        Outcome outcome = same(t -> forward(t, closed));
        assertThat(outcome.response()).startsWith("HTTP/1.1 502 Bad Gateway\r\n");
        assertThat(outcome.errors()).singleElement().asString().startsWith("[error] *N connect() failed "
                + "(111: Connection refused) while connecting to upstream, client: 127.0.0.1");
    }

    @Test
    void aProxyPassResetBeforeTheResponse() throws Exception {
        try (ScriptedServer resetting = new ScriptedServer(socket -> {
            // read the request head to its end, then answer with RST
            new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1)).lines()
                    .takeWhile(line -> !line.isEmpty()).count();
            socket.setSoLinger(true, 0);
            socket.close();
        })) {
            Outcome outcome = same(t -> forward(t, resetting.port()));
            assertThat(outcome.response()).startsWith("HTTP/1.1 502 Bad Gateway\r\n");
            assertThat(outcome.errors()).singleElement().asString().startsWith("[error] *N recv() failed "
                    + "(104: Connection reset by peer) while reading response header from upstream");
        }
    }

    @Test
    void listenSocketsThatCannotBeBound() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, Loopback.IPV4)) {
            String inUse = "listen 127.0.0.1:" + taken.getLocalPort() + ";";
            String missingDir = "listen unix:" + dir.resolve("missing/tg.sock") + ";";
            for (String listen : List.of(inUse, missingDir)) {
                String epoll = startFailure("epoll", listen);
                assertThat(startFailure("io_uring", listen)).isEqualTo(epoll);
                assertThat(epoll).matches("bind\\(\\) to \\S+ failed \\((98: Address already in use"
                        + "|2: No such file or directory)\\)");
            }
        }
    }

    /** Runs {@code scenario} on epoll and on io_uring, asserts the two outcomes are equal, and returns it. */
    private Outcome same(Scenario scenario) throws Exception {
        Outcome epoll = scenario.run("epoll");
        Outcome ioUring = scenario.run("io_uring");
        assertThat(ioUring).as("io_uring as epoll").isEqualTo(epoll);
        return epoll;
    }

    @FunctionalInterface
    private interface Scenario {
        Outcome run(String transport) throws Exception;
    }

    private Outcome tunnel(String transport, String directives, String authority) throws IOException {
        Path run = Files.createDirectories(dir.resolve(transport));
        try (TestProxy proxy = UringConfig.connect(directives).on(transport).start(run);
             RawClient client = RawClient.connect(proxy.address())) {
            String head = client.requestTunnel(authority);
            client.readToEof();
            return outcome(proxy, head);
        }
    }

    private Outcome forward(String transport, int upstreamPort) throws IOException {
        Path run = Files.createDirectories(dir.resolve(transport));
        String config = """
                error_log ${DIR}/error.log error;
                events { use %s; }
                http {
                    access_log off;
                    server {
                        listen 127.0.0.1:${PORT};
                        location / { proxy_pass http://127.0.0.1:%d; }
                    }
                }
                """.formatted(transport, upstreamPort);
        try (TestProxy proxy = TestProxy.start(run, config);
             RawClient client = RawClient.connect(proxy.address())) {
            String response = client.send("GET /x HTTP/1.1\r\nHost: a.test\r\nConnection: close\r\n\r\n").readHead();
            client.readToEof();
            return outcome(proxy, response);
        }
    }

    private static Outcome outcome(TestProxy proxy, String head) {
        proxy.settleLogs("error.log");
        String response = head.replaceAll("\r\nDate: [^\r]*", "");
        List<String> errors = proxy.lines("error.log").stream()
                .filter(l -> !l.contains("[info]") && !l.contains("[notice]"))
                .map(l -> LINE_PREFIX.matcher(l).replaceFirst(m -> m.group(1) + (m.group(2) == null ? " " : " *N ")))
                .toList();
        return new Outcome(response, errors);
    }

    /** The message of the IOException that stopped a proxy with {@code listen} from starting on {@code transport}. */
    private String startFailure(String transport, String listen) throws IOException {
        String config = "events { use " + transport + "; }\nhttp {\n    access_log off;\n    server {\n        "
                + listen + "\n        return 200;\n    }\n}\n";
        Path run = Files.createDirectories(dir.resolve("start-" + transport));
        try (TestProxy proxy = TestProxy.start(run, config)) {
            throw new AssertionError("started with " + listen + " on " + proxy.server().boundAddresses());
        } catch (UncheckedIOException e) {
            return e.getCause().getMessage();
        }
    }
}
