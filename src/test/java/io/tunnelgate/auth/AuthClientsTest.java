package io.tunnelgate.auth;

import static io.tunnelgate.auth.AuthFixtures.PASSWORD;
import static io.tunnelgate.auth.AuthFixtures.basic;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tunnelgate.testsupport.Curl;
import io.tunnelgate.testsupport.HttpOrigin;
import io.tunnelgate.testsupport.HttpsOrigin;
import io.tunnelgate.testsupport.RawClient;
import io.tunnelgate.testsupport.RecordedRequest;
import io.tunnelgate.testsupport.TestFiles;
import io.tunnelgate.testsupport.TestProxy;
import java.net.Authenticator;
import java.net.PasswordAuthentication;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real proxy clients against proxy authentication: curl with {@code --proxy-user} and the JDK
 * HttpClient with an {@link Authenticator}, for tunnels and for plain-HTTP forwarding, where the
 * consumed {@code Proxy-Authorization} never reaches the origin (while a server without
 * authentication still passes it on).
 */
class AuthClientsTest {
    private static final String CONFIG = """
            http {
                access_log ${DIR}/access.log;
                error_log ${DIR}/error.log info;
                server {
                    listen 127.0.0.1:${PORT};
                    server_name proxy.test;
                    proxy_connect;
                    proxy_connect_allow all;
                    auth_basic "Tunnelgate proxy";
                    auth_basic_user_file users;
                    location / {
                        proxy_pass http://$host;
                    }
                }
                server {
                    listen 127.0.0.1:${PORT};
                    server_name open.test;
                    location / {
                        proxy_pass http://127.0.0.1:%d;
                    }
                }
            }
            """;

    @TempDir
    static Path dir;
    private static TestProxy proxy;
    private static HttpOrigin origin;
    private static HttpsOrigin tlsOrigin;

    @BeforeAll
    static void start() {
        TestFiles.write(dir, "users", AuthFixtures.USERS);
        origin = new HttpOrigin();
        tlsOrigin = new HttpsOrigin();
        proxy = TestProxy.start(dir, CONFIG.formatted(origin.port()));
    }

    @AfterAll
    static void stop() {
        proxy.close();
        origin.close();
        tlsOrigin.close();
    }

    @Test
    void curlTunnelsWithProxyUserAndIsRefusedWithout() {
        assumeTrue(Curl.available());
        String url = "http://127.0.0.1:" + origin.port() + "/curl-tunnel";
        Curl.Result ok = Curl.run("-p", "-x", "http://127.0.0.1:" + proxy.port(), "--proxy-user", "alice:" + PASSWORD, url);
        assertThat(ok.exitCode()).as(ok.stderr()).isZero();
        assertThat(ok.stdout()).isEqualTo("hello");

        Curl.Result refused = Curl.run("-p", "-x", "http://127.0.0.1:" + proxy.port(), url);
        assertThat(refused.exitCode()).isEqualTo(56);
        assertThat(refused.stderr()).contains("407");
    }

    @Test
    void curlForwardsWithoutPassingProxyCredentialsOn() {
        assumeTrue(Curl.available());
        Curl.Result ok = Curl.run("-x", "http://127.0.0.1:" + proxy.port(), "--proxy-user", "alice:" + PASSWORD,
                "http://127.0.0.1:" + origin.port() + "/curl-forward");
        assertThat(ok.exitCode()).as(ok.stderr()).isZero();
        RecordedRequest seen = last("/curl-forward");
        assertThat(seen.header("Proxy-Authorization")).isNull();
    }

    @Test
    void jdkClientAnswersTheConnectChallenge() throws Exception {
        AtomicInteger asked = new AtomicInteger();
        HttpClient client = client(tlsOrigin.clientContext(), asked);
        HttpResponse<String> r = client.send(request("https://127.0.0.1:" + tlsOrigin.port() + "/jdk-tunnel"),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("hello");
        assertThat(asked).as("the client was challenged").hasPositiveValue();
    }

    @Test
    void jdkClientForwardsAfterTheChallengeAndTheOriginSeesNoProxyCredentials() throws Exception {
        AtomicInteger asked = new AtomicInteger();
        HttpClient client = client(SSLContext.getDefault(), asked);
        HttpResponse<String> r = client.send(request("http://127.0.0.1:" + origin.port() + "/jdk-forward"),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(asked).hasPositiveValue();
        assertThat(last("/jdk-forward").header("Proxy-Authorization")).isNull();
    }

    @Test
    void aChallengedRequestBodyIsDiscardedAndTheConnectionServesTheNext() throws Exception {
        try (RawClient client = RawClient.connect(proxy.address())) {
            String target = "http://127.0.0.1:" + origin.port() + "/posted";
            client.send("POST " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 11\r\n\r\nhello world");
            Response challenge = Response.parse(client.readResponse());
            assertThat(challenge.status()).isEqualTo(407);
            assertThat(challenge.header("Connection")).isEqualTo("keep-alive");
            client.send("POST " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 2\r\nProxy-Authorization: "
                    + basic("alice", PASSWORD) + "\r\n\r\nok");
            Response r = Response.parse(client.readResponse());
            assertThat(r.status()).isEqualTo(200);
        }
        RecordedRequest seen = last("/posted");
        assertThat(seen.bodyText()).isEqualTo("ok");
        assertThat(seen.header("Proxy-Authorization")).isNull();
    }

    @Test
    void withoutAuthenticationProxyAuthorizationStillPassesOn() throws Exception {
        try (RawClient client = RawClient.connect(proxy.address())) {
            client.send("GET http://open.test/open HTTP/1.1\r\nHost: open.test\r\nProxy-Authorization: "
                    + basic("someone", "else") + "\r\n\r\n");
            assertThat(Response.parse(client.readResponse()).status()).isEqualTo(200);
        }
        assertThat(last("/open").header("Proxy-Authorization")).isEqualTo(basic("someone", "else"));
    }

    private static RecordedRequest last(String path) {
        return origin.requests().stream().filter(r -> r.target().equals(path)).reduce((a, b) -> b).orElseThrow();
    }

    private static HttpClient client(SSLContext tls, AtomicInteger asked) {
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .proxy(ProxySelector.of(proxy.address()))
                .sslContext(tls)
                .connectTimeout(Duration.ofSeconds(10))
                .authenticator(new Authenticator() {
                    @Override
                    protected PasswordAuthentication getPasswordAuthentication() {
                        if (getRequestorType() != RequestorType.PROXY) {
                            return null;
                        }
                        asked.incrementAndGet();
                        return new PasswordAuthentication("alice", PASSWORD.toCharArray());
                    }
                })
                .build();
    }

    private static HttpRequest request(String uri) {
        return HttpRequest.newBuilder(URI.create(uri)).timeout(Duration.ofSeconds(20)).GET().build();
    }
}
