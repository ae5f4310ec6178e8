package io.tunnelgate.auth;

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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hundreds of logins with bcrypt (cost 10, each a cache miss: every password is a different
 * wrong one) arrive at once while a tunnel is in use. Hashing runs on the verification pool, so
 * the event loops stay free: the tunnel's round trips stay quick throughout, and every login is
 * answered, 407 once verified or 503 at once when the pool's queue is full.
 *
 * <p>Checked against the failure it guards: with hashing on the event loop the median round trip
 * was over twice a bcrypt's time, no login got a 503, and the storm took half a minute.
 */
class AuthStormTest {
    private static final int STORM = 300;
    /** No round trip may take this long: a stalled loop, not scheduling noise. */
    private static final long ROUND_TRIP_BOUND_MS = 1000;

    @TempDir
    Path dir;

    @Test
    void theEventLoopStaysResponsiveWhileBcryptStormsThePool() throws Exception {
        long before = System.nanoTime();
        String hash = new String(BCrypt.with(BCrypt.Version.VERSION_2Y).hash(10, "right".getBytes(StandardCharsets.US_ASCII)),
                StandardCharsets.US_ASCII);
        // what one verification costs on this machine: a loop that hashed would make the typical
        // round trip at least this long (measured so: about 180 ms median against 80 ms per bcrypt)
        long bcryptMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - before);
        TestFiles.write(dir, "users", "storm:" + hash + "\nalice:{PLAIN}fast\n");
        try (EchoServer echo = new EchoServer();
             TestProxy proxy = TestProxy.start(dir, """
                     http {
                         access_log off;
                         error_log ${DIR}/error.log error;
                         server {
                             listen 127.0.0.1:${PORT};
                             proxy_connect;
                             proxy_connect_allow all;
                             auth_basic "storm";
                             auth_basic_user_file users;
                         }
                     }
                     """);
             RawClient tunnel = RawClient.connect(proxy.address())) {
            String target = "127.0.0.1:" + echo.port();
            tunnel.send(connect(target, basic("alice", "fast")));
            assertThat(RawClient.status(tunnel.readHead())).isEqualTo(200);
            AuthStats stats = proxy.server().services().authStats();
            long failures = stats.failures();
            long rejected = stats.rejected();

            RoundTrips trips = RoundTrips.start(tunnel);
            List<Integer> statuses = storm(proxy, target);
            trips.stop();

            assertThat(statuses).hasSize(STORM).allMatch(s -> s == 407 || s == 503);
            long refused = statuses.stream().filter(s -> s == 407).count();
            assertThat(stats.failures() - failures).as("verified and refused").isEqualTo(refused).isPositive();
            assertThat(stats.rejected() - rejected).as("refused at once, queue full").isEqualTo(STORM - refused)
                    .isPositive();
            assertThat(trips.failure()).isNull();
            List<Long> millis = trips.millis();
            assertThat(millis).as("round trips on the tunnel during the storm").hasSizeGreaterThan(10)
                    .allMatch(ms -> ms < ROUND_TRIP_BOUND_MS);
            assertThat(millis.stream().sorted().toList().get(millis.size() / 2)).as("median round trip, ms")
                    .isLessThan(bcryptMillis);
        }
    }

    /** Opens every connection, sends every login, then reads every answer. */
    private static List<Integer> storm(TestProxy proxy, String target) throws Exception {
        List<RawClient> clients = new ArrayList<>();
        try {
            for (int i = 0; i < STORM; i++) {
                RawClient c = RawClient.connect(proxy.address());
                clients.add(c);
                c.send(connect(target, basic("storm", "wrong-" + i)));
            }
            List<Integer> statuses = new ArrayList<>();
            for (RawClient c : clients) {
                statuses.add(RawClient.status(c.readHead()));
            }
            return statuses;
        } finally {
            for (RawClient c : clients) {
                c.close();
            }
        }
    }

    private static String connect(String target, String credentials) {
        return "CONNECT " + target + " HTTP/1.1\r\nHost: " + target + "\r\nProxy-Authorization: " + credentials + "\r\n\r\n";
    }

    /** Echo round trips on the tunnel every 20 ms, timed, until stopped. */
    private static final class RoundTrips {
        private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        private final ConcurrentLinkedQueue<Long> millis = new ConcurrentLinkedQueue<>();
        private final AtomicReference<Throwable> failure = new AtomicReference<>();
        private ScheduledFuture<?> task;

        static RoundTrips start(RawClient tunnel) {
            RoundTrips t = new RoundTrips();
            byte[] probe = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
            t.task = t.timer.scheduleAtFixedRate(() -> {
                try {
                    long start = System.nanoTime();
                    tunnel.send(probe);
                    if (!Arrays.equals(tunnel.readExactly(probe.length), probe)) {
                        throw new AssertionError("the tunnel echoed something else");
                    }
                    t.millis.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
                } catch (Exception | AssertionError e) {
                    t.failure.compareAndSet(null, e);
                    throw new IllegalStateException(e);
                }
            }, 0, 20, TimeUnit.MILLISECONDS);
            return t;
        }

        void stop() throws InterruptedException {
            task.cancel(false);
            timer.shutdown();
            timer.awaitTermination(5, TimeUnit.SECONDS);
        }

        List<Long> millis() {
            return List.copyOf(millis);
        }

        Throwable failure() {
            return failure.get();
        }
    }
}
