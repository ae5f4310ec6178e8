package io.tunnelgate.server;

import static io.tunnelgate.server.Ask.at;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tunnelgate.testsupport.RawClient;
import io.tunnelgate.testsupport.TestProxy;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The socket parameters of {@code listen} are accepted and reach the sockets: {@code backlog=} on
 * the listening socket, {@code rcvbuf=}/{@code sndbuf=}/{@code so_keepalive=} on accepted
 * connections (read back with {@code ss}, the kernel's own view), and {@code reuseport} binds one
 * socket per event loop on epoll. Each listen address gets its own options, so one proxy with five
 * loopback addresses on one port covers them all.
 */
class ListenOptionsTest {
    private static final String OPTIONS = """
            http {
                access_log off;
                keepalive_timeout 60s;
                server {
                    listen 127.0.0.1:${PORT} backlog=16;
                    return 200 "backlog";
                }
                server {
                    listen 127.0.0.2:${PORT} rcvbuf=48k;
                    return 200 "rcvbuf";
                }
                server {
                    listen 127.0.0.3:${PORT} sndbuf=40k;
                    return 200 "sndbuf";
                }
                server {
                    listen 127.0.0.4:${PORT} so_keepalive=on;
                    return 200 "keepalive-on";
                }
                server {
                    listen 127.0.0.5:${PORT} so_keepalive=30s:10s:3;
                    return 200 "keepalive-tuned";
                }
            }
            """;

    @TempDir
    Path dir;

    @Test
    void everyOptionIsAcceptedAndItsServerServes() throws Exception {
        try (TestProxy proxy = TestProxy.start(dir, OPTIONS)) {
            assertThat(Ask.server(at("127.0.0.1", proxy.port()), "x")).isEqualTo("backlog");
            assertThat(Ask.server(at("127.0.0.2", proxy.port()), "x")).isEqualTo("rcvbuf");
            assertThat(Ask.server(at("127.0.0.3", proxy.port()), "x")).isEqualTo("sndbuf");
            assertThat(Ask.server(at("127.0.0.4", proxy.port()), "x")).isEqualTo("keepalive-on");
            assertThat(Ask.server(at("127.0.0.5", proxy.port()), "x")).isEqualTo("keepalive-tuned");
        }
    }

    @Test
    void theOptionsReachTheKernelSockets() throws Exception {
        assumeTrue(ssWorks(), "ss (iproute2) is not available");
        assumeTrue(Transport.preferred() == Transport.EPOLL, "keepidle/keepintvl/keepcnt are set on epoll only");
        try (TestProxy proxy = TestProxy.start(dir, OPTIONS)) {
            int port = proxy.port();
            assertThat(ss("-ltnH", port)).anySatisfy(l -> assertThat(l).matches("0\\s+16\\s+127\\.0\\.0\\.1:" + port + "\\s.*"));

            List<RawClient> clients = new ArrayList<>();
            try {
                for (int i = 1; i <= 5; i++) {
                    RawClient c = RawClient.connect(at("127.0.0." + i, port));
                    // a kept-alive request: the accepted connection stays open for ss to see
                    c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n").readResponse();
                    clients.add(c);
                }
                await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                    List<String> established = ss("-tnomH", port);
                    assertThat(entry(established, "127.0.0.1", port)).doesNotContain("keepalive");
                    // the kernel doubles SO_RCVBUF/SO_SNDBUF for its bookkeeping
                    assertThat(entry(established, "127.0.0.2", port)).contains("rb98304");
                    assertThat(entry(established, "127.0.0.3", port)).contains("tb81920");
                    assertThat(entry(established, "127.0.0.4", port)).containsPattern("timer:\\(keepalive,1\\d\\dmin");
                    assertThat(entry(established, "127.0.0.5", port)).containsPattern("timer:\\(keepalive,(2\\d|30)sec");
                });
            } finally {
                for (RawClient c : clients) {
                    c.close();
                }
            }
        }
    }

    @Test
    void reuseportBindsOneSocketPerEventLoopOnEpollAndServes() throws Exception {
        String config = """
                worker_processes 2;
                http {
                    access_log off;
                    server {
                        listen 127.0.0.1:${PORT} reuseport;
                        return 200 "reuseport";
                    }
                }
                """;
        try (TestProxy proxy = TestProxy.start(dir, config)) {
            int sockets = Transport.preferred() == Transport.EPOLL ? 2 : 1;
            assertThat(proxy.server().boundAddresses()).hasSize(sockets).containsOnly(proxy.address());
            for (int i = 0; i < 8; i++) {
                assertThat(Ask.server(proxy.address(), "x")).isEqualTo("reuseport");
            }
        }
    }

    private static boolean ssWorks() {
        try {
            Process p = new ProcessBuilder("ss", "-V").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** ss's entries for local port {@code port}, each with its continuation lines joined. */
    private List<String> ss(String flags, int port) throws IOException, InterruptedException {
        Path out = dir.resolve("ss.out");
        String state = flags.contains("l") ? "listening" : "established";
        List<String> command = List.of("ss", flags, "state", state, "sport", "=", ":" + port);
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        List<String> entries = new ArrayList<>();
        for (String line : Files.readAllLines(out, StandardCharsets.UTF_8)) {
            if (line.startsWith("\t") && !entries.isEmpty()) {
                entries.set(entries.size() - 1, entries.get(entries.size() - 1) + " " + line.trim());
            } else if (!line.isBlank()) {
                entries.add(line.trim());
            }
        }
        return entries;
    }

    /** The established entry whose local address is {@code ip:port}. */
    private static String entry(List<String> entries, String ip, int port) {
        String local = " " + ip + ":" + port + " ";
        return entries.stream().filter(e -> e.contains(local)).findFirst()
                .orElseThrow(() -> new AssertionError("no connection on " + local + " in " + entries));
    }
}
