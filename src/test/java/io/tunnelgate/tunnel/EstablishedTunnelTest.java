package io.tunnelgate.tunnel;

import static io.tunnelgate.tunnel.TunnelConfig.ESTABLISHED;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tunnelgate.testsupport.Curl;
import io.tunnelgate.testsupport.EchoServer;
import io.tunnelgate.testsupport.Http;
import io.tunnelgate.testsupport.HttpOrigin;
import io.tunnelgate.testsupport.HttpsOrigin;
import io.tunnelgate.testsupport.Loopback;
import io.tunnelgate.testsupport.Payload;
import io.tunnelgate.testsupport.RawClient;
import io.tunnelgate.testsupport.RecordedRequest;
import io.tunnelgate.testsupport.RelayPaths;
import io.tunnelgate.testsupport.StubDnsServer;
import io.tunnelgate.testsupport.TestProxy;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Established tunnels with real clients (spec §3.7, §3.8): the exact 200 bytes in one piece, then bytes both
 * ways unchanged, on both transports; curl and the JDK HttpClient through the tunnel to HTTP and HTTPS origins,
 * by IP literal and by a name the configured resolver answers.
 */
@ParameterizedClass(name = "relay_splice {0}")
@ValueSource(strings = {"on", "off"})
class EstablishedTunnelTest {
    /** {@code relay_splice}: every test runs on the splice path and on the buffered one. */
    @Parameter
    String splice;

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"epoll", "nio"})
    void rawClientGetsTheEstablishedResponseInOneReadThenEcho(String transport) throws Exception {
        try (EchoServer echo = new EchoServer();
             TestProxy proxy = TunnelConfig.connectServer().relaySplice(splice).events("use " + transport + ";").start(dir);
             RawClient client = RawClient.connect(proxy.address())) {
            assertThat(proxy.server().config().process().transport().label()).isEqualTo(transport);
            String authority = Loopback.hostPort(echo.port());
            client.send("CONNECT " + authority + " HTTP/1.1\r\nHost: " + authority + "\r\n\r\n");

            // One read of the raw socket, as the module's test client does with one sysread: the response must
            // have been written in one piece, and nothing else may follow it unasked.
            InputStream raw = client.socket().getInputStream();
            byte[] first = new byte[4096];
            int n = raw.read(first);
            assertThat(new String(first, 0, Math.max(n, 0), StandardCharsets.ISO_8859_1)).isEqualTo(ESTABLISHED);

            client.send("hello tunnel\n");
            assertThat(new String(client.readExactly(13), StandardCharsets.ISO_8859_1)).isEqualTo("hello tunnel\n");
            byte[] binary = Payload.bytes(64 * 1024, 11);
            client.send(binary);
            assertThat(Arrays.equals(client.readExactly(binary.length), binary)).as("64 KiB echoed unchanged").isTrue();

            client.shutdownOutput();
            assertThat(client.awaitEof()).isTrue();
            LogFields log = LogFields.of(proxy.lastLine("access.log"));
            assertThat(log.get("status")).isEqualTo("200");
            assertThat(log.get("addr")).isEqualTo(authority);
            assertThat(log.get("request")).isEqualTo("CONNECT " + authority + " HTTP/1.1");
            assertThat(log.number("sent")).isEqualTo(ESTABLISHED.length() + 13 + binary.length);
            // the first upstream byte (the echo) is timed on both paths, after the connect
            assertThat(log.seconds("fbt")).isGreaterThanOrEqualTo(log.seconds("ct")).isLessThan(5.0);
            RelayPaths.assertPath(proxy, splice);
        }
    }

    @Test
    void curlSpeaksPlainHttpThroughTheTunnel() throws Exception {
        try (HttpOrigin origin = new HttpOrigin(); TestProxy proxy = TunnelConfig.connectServer().relaySplice(splice).start(dir)) {
            Curl.Result result = Curl.run("-p", "-x", "http://127.0.0.1:" + proxy.port(),
                    "http://127.0.0.1:" + origin.port() + "/path?q=1");
            assertThat(result.exitCode()).as(result.stderr()).isZero();
            assertThat(result.stdout()).isEqualTo("hello");
            // origin-form at the origin: curl spoke to it through the tunnel, the proxy did not forward a request
            RecordedRequest request = origin.nextRequest();
            assertThat(request.requestLine()).isEqualTo("GET /path?q=1 HTTP/1.1");
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(proxy.lastLine("access.log")).isNotNull());
            LogFields log = LogFields.of(proxy.lastLine("access.log"));
            assertThat(log.get("status")).isEqualTo("200");
            assertThat(log.get("request")).isEqualTo("CONNECT 127.0.0.1:" + origin.port() + " HTTP/1.1");
            RelayPaths.assertPath(proxy, splice);
        }
    }

    @Test
    void jdkHttpClientReachesAnHttpsOriginByIpAndByResolvedName() throws Exception {
        try (StubDnsServer dns = StubDnsServer.start();
             HttpsOrigin origin = new HttpsOrigin();
             TestProxy proxy = TunnelConfig.connectServer().relaySplice(splice).resolver(dns).start(dir)) {
            dns.a("localhost", "127.0.0.1");
            HttpClient client = Http.viaProxy(proxy.address(), origin.clientContext());

            HttpResponse<String> byIp = Http.get(client, "https://127.0.0.1:" + origin.port() + "/ip");
            assertThat(byIp.statusCode()).isEqualTo(200);
            assertThat(byIp.body()).isEqualTo("hello");
            HttpResponse<String> byName = Http.get(client, "https://localhost:" + origin.port() + "/name");
            assertThat(byName.statusCode()).isEqualTo(200);
            assertThat(byName.body()).isEqualTo("hello");

            // the name went to the configured resolver (nginx never reads /etc/hosts)
            assertThat(dns.queries("localhost", "A")).isGreaterThanOrEqualTo(1);
            assertThat(origin.nextRequest().requestLine()).isEqualTo("GET /ip HTTP/1.1");
            RecordedRequest named = origin.nextRequest();
            assertThat(named.requestLine()).isEqualTo("GET /name HTTP/1.1");
            assertThat(named.header("Host")).isEqualTo("localhost:" + origin.port());
            RelayPaths.assertPath(proxy, splice);
        }
    }

    @Test
    void curlReachesAnHttpsOriginByName() throws Exception {
        try (StubDnsServer dns = StubDnsServer.start();
             HttpsOrigin origin = new HttpsOrigin();
             TestProxy proxy = TunnelConfig.connectServer().relaySplice(splice).resolver(dns).start(dir)) {
            dns.a("localhost", "127.0.0.1");
            Curl.Result result = Curl.run("--proxy", "http://127.0.0.1:" + proxy.port(),
                    "--cacert", origin.caPem().toString(), "https://localhost:" + origin.port() + "/");
            assertThat(result.exitCode()).as(result.stderr()).isZero();
            assertThat(result.stdout()).isEqualTo("hello");
            assertThat(dns.queries("localhost", "A")).isGreaterThanOrEqualTo(1);
            await().atMost(10, SECONDS).untilAsserted(() -> assertThat(proxy.lastLine("access.log")).isNotNull());
            LogFields log = LogFields.of(proxy.lastLine("access.log"));
            assertThat(log.get("status")).isEqualTo("200");
            assertThat(log.get("host")).isEqualTo("localhost");
            assertThat(log.get("addr")).isEqualTo("127.0.0.1:" + origin.port());
            // a TLS handshake and a response came back: far more than the 200 line
            assertThat(log.number("sent")).isGreaterThan(ESTABLISHED.length() + 1000L);
            RelayPaths.assertPath(proxy, splice);
        }
    }
}
