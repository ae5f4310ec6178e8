package io.tunnelgate.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tunnelgate.testsupport.ConfigLoads;
import io.tunnelgate.testsupport.EchoServer;
import io.tunnelgate.testsupport.Loopback;
import io.tunnelgate.testsupport.RawClient;
import io.tunnelgate.testsupport.TestProxy;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code busy_poll off | Nus} (Tunnelgate's, events): its checks at the directive's file:line, the
 * warning where the transport cannot poll, and an epoll loop that, after relaying, keeps its core
 * for the polling time and then sleeps.
 */
class BusyPollTest {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    @TempDir
    Path dir;
    @RegisterExtension
    ConfigLoads configs = new ConfigLoads();

    @Test
    void aTimeInMicrosecondsOrOffLoads() throws Exception {
        Assumptions.assumeTrue(Transport.EPOLL.isAvailable(), "epoll only");
        assertThat(configs.load(ConfigLoads.events("busy_poll 50us;"), dir).process().busyPollMicros()).isEqualTo(50);
        assertThat(configs.load(ConfigLoads.events("busy_poll off;"), dir).process().busyPollMicros()).isZero();
        assertThat(configs.load(ConfigLoads.events("worker_connections 64;"), dir).process().busyPollMicros())
                .as("off by default").isZero();
    }

    @Test
    void aBadValueIsNamedWithItsFileAndLine() {
        assertThat(configs.refusal(ConfigLoads.events("busy_poll 50;"), dir, 2))
                .isEqualTo("invalid value \"50\" in \"busy_poll\" directive");
        assertThat(configs.refusal(ConfigLoads.events("busy_poll 50ms;"), dir, 2))
                .isEqualTo("invalid value \"50ms\" in \"busy_poll\" directive");
        assertThat(configs.refusal(ConfigLoads.events("busy_poll 20000us;"), dir, 2))
                .isEqualTo("\"busy_poll\" is at most 10000us, not \"20000us\"");
        assertThat(configs.refusal(ConfigLoads.events("busy_poll on;"), dir, 2))
                .isEqualTo("invalid value \"on\" in \"busy_poll\" directive");
        assertThat(configs.refusal("events {}\nhttp {\n busy_poll 50us;\n}\n", dir, 3))
                .isEqualTo("\"busy_poll\" directive is not allowed here");
    }

    @Test
    void aTransportThatCannotPollIgnoresItWithAWarning() throws Exception {
        var config = configs.load(ConfigLoads.events("use nio;\nbusy_poll 50us;"), dir);
        assertThat(config.process().busyPollMicros()).isZero();
        assertThat(config.warnings()).containsExactly("\"busy_poll\" is ignored: only the epoll transport polls, "
                + "not nio in " + dir.resolve("t.conf") + ":3");
    }

    /** The CPU time of this JVM's event-loop threads, in nanoseconds. */
    private static long loopCpuNanos() {
        long total = 0;
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith("tunnelgate-loop")) {
                total += Math.max(0, THREADS.getThreadCpuTime(t.getId()));
            }
        }
        return total;
    }

    @Test
    void afterRelayingTheLoopPollsForTheConfiguredTimeThenSleeps() throws Exception {
        Assumptions.assumeTrue(Transport.EPOLL.isAvailable() && THREADS.isThreadCpuTimeSupported(), "epoll, thread CPU");
        try (EchoServer echo = new EchoServer();
             TestProxy proxy = TestProxy.start(dir, """
                     worker_processes 1;
                     events { use epoll; busy_poll 10000us; }
                     http {
                         access_log off;
                         server {
                             listen 127.0.0.1:${PORT};
                             proxy_connect;
                             proxy_connect_allow all;
                         }
                     }
                     """);
             RawClient client = RawClient.connect(proxy.address())) {
            assertThat(RawClient.status(client.requestTunnel(Loopback.hostPort(echo.port())))).isEqualTo(200);
            client.send("ping");
            assertThat(new String(client.readExactly(4), StandardCharsets.ISO_8859_1)).isEqualTo("ping");
            long before = loopCpuNanos();
            client.send("pong");
            assertThat(new String(client.readExactly(4), StandardCharsets.ISO_8859_1)).isEqualTo("pong");
            // relaying four bytes each way takes well under a millisecond; the poll after it takes up to 10
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> loopCpuNanos() - before >= 3_000_000);
            // and then the loop sleeps: its CPU time stops growing
            AtomicLong last = new AtomicLong(-1);
            await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(200))
                    .until(() -> {
                        long now = loopCpuNanos();
                        return now - last.getAndSet(now) < 2_000_000;
                    });
        }
    }
}
