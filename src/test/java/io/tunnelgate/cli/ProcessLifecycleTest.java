package io.tunnelgate.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.tunnelgate.testsupport.EchoServer;
import io.tunnelgate.testsupport.Loopback;
import io.tunnelgate.testsupport.RawClient;
import io.tunnelgate.testsupport.TestFiles;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tunnelgate as a process: it starts with one line saying where it listens, writes its pid file,
 * and on SIGTERM or SIGINT stops accepting, closes open tunnels (their clients see EOF), writes
 * their access-log lines, removes the pid file and exits 0. A bad config or a taken port exits 1
 * with nginx's message. Each test starts a JVM, so there are few of them.
 */
class ProcessLifecycleTest {
    private static final String CONFIG = """
            pid %1$s/tunnelgate.pid;
            error_log %1$s/error.log info;
            worker_processes 1;

            http {
                access_log %1$s/access.log;
                server {
                    listen 127.0.0.1:%2$d;
                    proxy_connect;
                    proxy_connect_allow all;
                }
            }
            """;

    @TempDir
    Path dir;
    private EchoServer echo;

    @BeforeEach
    void startOrigin() {
        echo = new EchoServer();
    }

    @AfterEach
    void stopOrigin() {
        echo.close();
    }

    /** Starts the proxy on a free port (another one if that port was taken meanwhile). */
    private Started startProxy() throws InterruptedException {
        for (int attempt = 0; ; attempt++) {
            int port = Loopback.closedPort();
            Path config = TestFiles.config(dir, CONFIG.formatted(dir, port));
            ChildProxy child = ChildProxy.start(dir, "-c", config.toString());
            try {
                Matcher started = child.awaitStarted();
                return new Started(child, port, config, started);
            } catch (RuntimeException | AssertionError e) {
                child.close();
                if (attempt == 2 || !child.stderr().contains("Address already in use")) {
                    throw e;
                }
            }
        }
    }

    /** A started child: its port, config file and the matched start-up line. */
    private record Started(ChildProxy child, int port, Path config, Matcher line) {
    }

    /** Opens a tunnel to the echo origin and checks bytes go through it. */
    private RawClient openTunnel(int proxyPort) throws IOException {
        RawClient client = RawClient.connect(proxyPort);
        assertThat(RawClient.status(client.requestTunnel(Loopback.hostPort(echo.port())))).isEqualTo(200);
        client.send("ping\n");
        assertThat(new String(client.readExactly(5), StandardCharsets.ISO_8859_1)).isEqualTo("ping\n");
        return client;
    }

    private List<String> lines(String file) throws IOException {
        Path p = dir.resolve(file);
        return Files.exists(p) ? Files.readAllLines(p, StandardCharsets.ISO_8859_1) : List.of();
    }

    @Test
    void sigtermClosesTunnelsWritesTheirLogLinesRemovesThePidFileAndExitsZero() throws Exception {
        Started s = startProxy();
        try (ChildProxy child = s.child(); RawClient client = openTunnel(s.port())) {
            assertThat(s.line().group(1)).isEqualTo("127.0.0.1:" + s.port());
            assertThat(s.line().group(3)).isEqualTo("1");
            assertThat(s.line().group(4)).isEqualTo(s.config().toString());
            assertThat(Files.readString(dir.resolve("tunnelgate.pid"))).isEqualTo(child.pid() + "\n");

            child.process().destroy(); // SIGTERM

            assertThat(child.awaitExit()).isZero();
            assertThat(client.awaitEof()).isTrue();
            assertThat(lines("access.log")).singleElement().asString()
                    .contains("\"CONNECT " + Loopback.hostPort(echo.port()) + " HTTP/1.1\" 200 ");
            assertThat(dir.resolve("tunnelgate.pid")).doesNotExist();
            assertThat(lines("error.log")).anyMatch(l -> l.contains("[notice]") && l.contains("exiting"));
        }
    }

    @Test
    void sigintDoesTheSame() throws Exception {
        assumeFalse(sigintIgnored(), "SIGINT is ignored in this environment and a JVM child inherits that");
        Started s = startProxy();
        try (ChildProxy child = s.child(); RawClient client = openTunnel(s.port())) {
            child.signal("INT");

            assertThat(child.awaitExit()).isZero();
            assertThat(client.awaitEof()).isTrue();
            assertThat(lines("access.log")).singleElement().asString()
                    .contains("\"CONNECT " + Loopback.hostPort(echo.port()) + " HTTP/1.1\" 200 ");
            assertThat(dir.resolve("tunnelgate.pid")).doesNotExist();
        }
    }

    @Test
    void aConfigErrorExitsOneWithNginxsMessage() throws Exception {
        Path config = TestFiles.config(dir, CONFIG.formatted(dir, Loopback.closedPort())
                .replace("proxy_connect;", "proxy_connect on;"));
        try (ChildProxy child = ChildProxy.start(dir, "-c", config.toString())) {
            assertThat(child.awaitExit()).isEqualTo(1);
            assertThat(child.stderr().lines()).containsExactly("tunnelgate: [emerg] invalid number of arguments in"
                    + " \"proxy_connect\" directive in " + config + ":9");
            assertThat(dir.resolve("tunnelgate.pid")).doesNotExist();
        }
    }

    @Test
    void aPortInUseExitsOneWithNginxsBindMessage() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, Loopback.IPV4)) {
            int port = taken.getLocalPort();
            Path config = TestFiles.config(dir, CONFIG.formatted(dir, port));
            try (ChildProxy child = ChildProxy.start(dir, "-c", config.toString())) {
                assertThat(child.awaitExit()).isEqualTo(1);
                assertThat(child.stderr().lines()).contains(
                        "tunnelgate: [emerg] bind() to 127.0.0.1:" + port + " failed (98: Address already in use)");
                assertThat(child.stderr()).doesNotContain("listening on");
                assertThat(dir.resolve("tunnelgate.pid")).doesNotExist();
            }
        }
    }

    /** Whether this JVM (and so its children) ignores SIGINT, as jobs started in the background do. */
    private static boolean sigintIgnored() throws IOException {
        Path status = Path.of("/proc/self/status");
        if (!Files.exists(status)) {
            return false;
        }
        for (String line : Files.readAllLines(status)) {
            if (line.startsWith("SigIgn:")) {
                long mask = Long.parseUnsignedLong(line.substring(7).trim(), 16);
                return (mask & (1L << 1)) != 0; // SIGINT is 2: bit 1
            }
        }
        return false;
    }
}
