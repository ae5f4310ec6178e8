package io.tunnelgate.tunnel;

import static java.util.concurrent.TimeUnit.MILLISECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tunnelgate.testsupport.ScriptedServer;
import io.tunnelgate.testsupport.StubDnsServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The module's {@code t/http_proxy_connect_resolve_variables.t}: {@code $proxy_connect_resolve_time},
 * {@code _connect_time} and {@code _first_byte_time} in the access log for a GET (empty), a tunnel
 * (values), a failed lookup and a connect timeout ({@code -}), backends that answer after 1 s and
 * 0.5 s, and data timeouts chosen by {@code if ($request ~ ...)} that are longer or shorter than
 * those delays.
 *
 * <p>Adapted: the module's slow backends are Lua handlers in the same nginx; here they are scripted
 * loopback servers that wait the same time after the request. Its connect-timeout name resolves to
 * 8.8.8.8; here to 127.0.0.1 with a port where connects stay pending ({@link PendingConnectPort}).
 */
class ModuleSuiteResolveVariablesTest {
    private static final String CONFIG = """
            events { }
            http {
                log_format connect '$remote_addr - $remote_user [$time_local] "$request" '
                                   '$status $body_bytes_sent var:$connect_host-$connect_port-$connect_addr '
                                   'resolve:$proxy_connect_resolve_time,'
                                   'connect:$proxy_connect_connect_time,'
                                   'fbt:$proxy_connect_first_byte_time,';
                access_log ${DIR}/connect.log connect;
                error_log ${DIR}/connect_error.log info;
                resolver 127.0.0.1:${DNS} ipv6=off;

                server {
                    listen 127.0.0.1:${PORT};
                    server_name localhost;
                    proxy_connect;
                    proxy_connect_allow all;
                    proxy_connect_connect_timeout 10s;
                    proxy_connect_data_timeout 10s;

                    set $proxy_connect_connect_timeout "101ms";
                    set $proxy_connect_data_timeout "103ms";

                    if ($uri = "/200") {
                        return 200;
                    }
                    if ($host = "test-connect-timeout.com") {
                        set $proxy_connect_connect_timeout "1ms";
                    }
                    if ($host = "test-read-timeout.com") {
                        set $proxy_connect_connect_timeout "3ms";
                        set $proxy_connect_data_timeout "1ms";
                    }
                    # longer than the 1 s backend's delay
                    if ($request ~ "127.0.0.1:${SLOW}") {
                        set $proxy_connect_data_timeout "1200ms";
                    }
                    # longer than the 0.5 s backend's delay
                    if ($request ~ "127.0.0.1:${HALF}") {
                        set $proxy_connect_data_timeout "700ms";
                    }
                    # shorter than the 1 s backend's delay
                    if ($request ~ "127.0.0.01:${SLOW}") {
                        set $proxy_connect_data_timeout "800ms";
                    }
                    # shorter than the 0.5 s backend's delay
                    if ($request ~ "127.0.0.01:${HALF}") {
                        set $proxy_connect_data_timeout "300ms";
                    }

                    location / {
                        proxy_pass http://127.0.0.01:${PORT_8081};
                    }
                }

                server {
                    listen 127.0.0.1:${PORT_8081};
                    access_log off;
                    return 200 "8081 server";
                }
            }
            """;

    @TempDir
    static Path dir;
    private static ScheduledExecutorService timer;
    private static StubDnsServer dns;
    private static ScriptedServer slow;
    private static ScriptedServer half;
    private static PendingConnectPort pending;
    private static SuiteProxy proxy;

    @BeforeAll
    static void start() throws IOException {
        timer = Executors.newSingleThreadScheduledExecutor();
        dns = StubDnsServer.start();
        dns.a("test-connect-timeout.com", "127.0.0.1").a("test-read-timeout.com", "127.0.0.1");
        slow = new ScriptedServer(socket -> answerAfter(socket, 1000, "8082 server fbt"));
        half = new ScriptedServer(socket -> answerAfter(socket, 500, "8083 server fbt"));
        pending = PendingConnectPort.open();
        proxy = SuiteProxy.start(dir, CONFIG.replace("${DNS}", Integer.toString(dns.address().getPort()))
                .replace("${SLOW}", Integer.toString(slow.port())).replace("${HALF}", Integer.toString(half.port())));
    }

    @AfterAll
    static void stop() throws IOException {
        if (proxy != null) {
            proxy.close();
        }
        pending.close();
        half.close();
        slow.close();
        dns.close();
        timer.shutdownNow();
    }

    /** Reads the request head, then after {@code delayMillis} answers with {@code text}, as the Lua handlers do. */
    private static void answerAfter(Socket socket, long delayMillis, String text) throws Exception {
        readHead(socket.getInputStream());
        String body = text + "\n";
        byte[] response = ("HTTP/1.1 200 OK\r\nContent-Length: " + body.length() + "\r\nConnection: close\r\n\r\n"
                + body).getBytes(StandardCharsets.ISO_8859_1);
        timer.schedule(() -> {
            socket.getOutputStream().write(response);
            return null;
        }, delayMillis, MILLISECONDS).get();
    }

    private static void readHead(InputStream in) throws IOException {
        int last = -1;
        int b;
        while ((b = in.read()) != -1) {
            if (b == '\n' && last == '\n') {
                return;
            }
            if (b != '\r') {
                last = b;
            }
        }
    }

    @Test
    void aConnectTimeoutLogsAResolveTimeButNoConnectTime() throws Exception {
        int port = pending.port();
        assertThat(proxy.connect("test-connect-timeout.com", port, "/")).startsWith("HTTP/1.1 504 ");
        assertLogged("connect.log", "\"CONNECT test-connect-timeout.com:" + port
                + " HTTP/1.1\" 504 .+ resolve:\\d+\\.\\d+,connect:-");
        assertLogged("connect_error.log", Pattern.quote("proxy_connect: upstream connect timed out (peer:127.0.0.1:"
                + port + ") while connecting to upstream"));
    }

    @Test
    void aGetLogsTheTimesAsEmpty() throws Exception {
        assertThat(proxy.get("/200")).startsWith("HTTP/1.1 200 OK\r\n");
        assertLogged("connect.log", "GET /200.*resolve:,connect:,");
    }

    @Test
    void aTunnelLogsResolveAndConnectTimes() throws Exception {
        assertThat(proxy.connect("127.0.0.1", proxy.port(8081), "/")).endsWith("8081 server");
        assertLogged("connect.log", "\"CONNECT 127.0.0.1:" + proxy.port(8081)
                + " HTTP/1.1\" 200 .+ resolve:0\\.\\d+,connect:0\\.\\d+,");
    }

    @Test
    void aFailedLookupLogsDashesAndTheResolverError() throws Exception {
        assertThat(proxy.connect("non-existent-domain.com", proxy.port(8081), "/")).startsWith("HTTP/1.1 502 ");
        assertLogged("connect.log", "\"CONNECT non-existent-domain.com:" + proxy.port(8081)
                + " HTTP/1.1\" 502 .+ resolve:-,connect:-,");
        assertLogged("connect_error.log", "proxy_connect: non-existent-domain.com could not be resolved .+Host not found");
    }

    @Test
    void theFirstByteTimeCountsTheBackendsDelay() throws Exception {
        assertThat(proxy.connect("127.0.0.1", slow.port(), "/")).contains("8082 server fbt");
        assertLogged("connect.log", "\"CONNECT 127.0.0.1:" + slow.port()
                + " HTTP/1.1\" 200 .+ resolve:0\\....,connect:0\\....,fbt:1\\....,");

        assertThat(proxy.connect("127.0.0.1", half.port(), "/")).contains("8083 server fbt");
        assertLogged("connect.log", "\"CONNECT 127.0.0.1:" + half.port()
                + " HTTP/1.1\" 200 .+ resolve:0\\....,connect:0\\....,fbt:0\\.5..,");
    }

    @Test
    void aDataTimeoutShorterThanTheBackendsDelayClosesTheTunnelEmpty() throws Exception {
        for (int port : new int[] {slow.port(), half.port()}) {
            assertThat(proxy.connect("127.0.0.01", port, "/")).isEmpty();
            assertLogged("connect_error.log", "\\[info].* proxy_connect: connection timed out.+ request: \"CONNECT "
                    + "127\\.0\\.0\\.01:" + port + " HTTP/...\"");
        }
    }

    private static void assertLogged(String file, String regex) {
        Pattern p = Pattern.compile(regex);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(proxy.lines(file)).anyMatch(l -> p.matcher(l).find()));
    }
}
