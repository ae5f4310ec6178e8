package io.tunnelgate.testsupport;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLHandshakeException;
import java.io.EOFException;
import java.net.ConnectException;
import java.net.Socket;
import java.net.SocketException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

/** {@link RawClient}, {@link Curl}, {@link Http}, {@link HttpsOrigin}, {@link TestFiles}, {@link Loopback}. */
class ClientsTest {

    @Test
    void readHeadStopsAtTheBlankLineAndLeavesTheRestUnread() throws Exception {
        String wire = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhelloEXTRA";
        try (ScriptedServer server = new ScriptedServer(socket -> reply(socket, wire));
             RawClient client = RawClient.connect(server.port())) {
            assertThat(client.readHead()).isEqualTo("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n");
            assertThat(client.readExactly(5)).asString(StandardCharsets.US_ASCII).isEqualTo("hello");
            assertThat(client.readToEof()).asString(StandardCharsets.US_ASCII).isEqualTo("EXTRA");
        }
    }

    @Test
    void readResponseTakesTheContentLengthBodyOnly() throws Exception {
        String wire = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhelloEXTRA";
        try (ScriptedServer server = new ScriptedServer(socket -> reply(socket, wire));
             RawClient client = RawClient.connect(server.port())) {
            assertThat(client.readResponse()).isEqualTo("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello");
            assertThat(client.readToEof()).asString(StandardCharsets.US_ASCII).isEqualTo("EXTRA");
        }
    }

    @Test
    void readHeadAcceptsBareLineFeedsAndBodilessHeads() throws Exception {
        String wire = "HTTP/1.1 200 Connection established\n\nTUNNEL";
        try (ScriptedServer server = new ScriptedServer(socket -> reply(socket, wire));
             RawClient client = RawClient.connect(server.port())) {
            assertThat(client.readResponse()).isEqualTo("HTTP/1.1 200 Connection established\n\n");
            assertThat(client.readExactly(6)).asString(StandardCharsets.US_ASCII).isEqualTo("TUNNEL");
            assertThat(client.awaitEof()).isTrue();
        }
    }

    @Test
    void readHeadFailsOnEofInsideTheHead() throws Exception {
        try (ScriptedServer server = new ScriptedServer(socket -> reply(socket, "HTTP/1.1 200 OK\r\nX: y"));
             RawClient client = RawClient.connect(server.port())) {
            assertThatThrownBy(client::readHead).isInstanceOf(EOFException.class).hasMessageContaining("X: y");
        }
    }

    @Test
    void awaitEofDistinguishesFinDataTimeoutAndReset() throws Exception {
        try (ScriptedServer server = new ScriptedServer(socket -> {
            String word = new String(socket.getInputStream().readNBytes(3), StandardCharsets.US_ASCII);
            switch (word) {
                case "fin" -> socket.shutdownOutput();
                case "dat" -> reply(socket, "surprise");
                case "rst" -> {
                    socket.setSoLinger(true, 0);
                    socket.close();
                }
                default -> ScriptedServer.holdUntilClosed();
            }
        })) {
            try (RawClient client = RawClient.connect(server.port())) {
                assertThat(client.send("fin").awaitEof()).isTrue();
            }
            try (RawClient client = RawClient.connect(server.port())) {
                client.send("dat");
                assertThatThrownBy(client::awaitEof).isInstanceOf(AssertionError.class).hasMessageContaining("surprise");
            }
            try (RawClient client = RawClient.connect(server.port())) {
                client.send("rst");
                assertThat(client.awaitClosed()).isTrue();
            }
            try (RawClient client = RawClient.connect(server.port())) {
                client.send("rst");
                assertThatThrownBy(client::awaitEof).isInstanceOf(SocketException.class);
            }
            try (RawClient client = RawClient.connect(server.port())) {
                assertThat(client.send("hld").timeout(Duration.ofMillis(100)).awaitEof()).isFalse();
            }
        }
    }

    @Test
    void resetSendsRstToThePeer() throws Exception {
        try (ScriptedServer reader = new ScriptedServer(socket -> socket.getInputStream().readAllBytes());
             RawClient client = RawClient.connect(reader.port())) {
            client.send("x").reset();

            assertThatThrownBy(() -> reader.nextConnection().get(10, SECONDS))
                    .hasCauseInstanceOf(SocketException.class)
                    .hasMessageContaining("reset");
        }
    }

    @Test
    void requestTunnelSendsConnectAndReturnsTheHead() throws Exception {
        try (HttpOrigin origin = new HttpOrigin(request -> OriginResponse.of(405, ""));
             RawClient client = RawClient.connect(origin.port())) {
            String head = client.requestTunnel("example.test:443");

            assertThat(RawClient.status(head)).isEqualTo(405);
            RecordedRequest request = origin.nextRequest();
            assertThat(request.requestLine()).isEqualTo("CONNECT example.test:443 HTTP/1.1");
            assertThat(request.header("Host")).isEqualTo("example.test:443");
        }
    }

    @Test
    void curlRunsWithoutAnyProxy() throws Exception {
        assumeThat(Curl.available()).as("curl installed").isTrue();
        assertThat(Curl.run("--version").stdout()).startsWith("curl ");

        try (HttpOrigin origin = new HttpOrigin()) {
            Curl.Result result = Curl.run("http://" + Loopback.hostPort(origin.port()) + "/x");

            assertThat(result).isEqualTo(new Curl.Result(0, "hello", ""));
            assertThat(origin.nextRequest().requestLine()).as("origin-form: no proxy in between")
                    .isEqualTo("GET /x HTTP/1.1");
        }
        assertThat(Curl.run("http://" + Loopback.hostPort(Loopback.closedPort()) + "/").exitCode())
                .as("couldn't connect").isEqualTo(7);
    }

    @Test
    void httpsOriginWorksWithTheJdkClientAndCurl() throws Exception {
        try (HttpsOrigin origin = new HttpsOrigin()) {
            for (String host : new String[] {"localhost", "127.0.0.1"}) {
                HttpResponse<String> response = Http.get(Http.direct(origin.clientContext()),
                        "https://" + host + ":" + origin.port() + "/tls");
                assertThat(response.statusCode()).isEqualTo(200);
                assertThat(response.body()).isEqualTo("hello");
            }
            assertThat(origin.nextRequest().target()).isEqualTo("/tls");
            assertThatThrownBy(() -> Http.get(Http.direct(Http.defaultContext()),
                    "https://localhost:" + origin.port() + "/")).as("untrusted without clientContext()")
                    .isInstanceOf(SSLHandshakeException.class);

            assumeThat(Curl.available()).as("curl installed").isTrue();
            Curl.Result curl = Curl.run("--cacert", origin.caPem().toString(),
                    "https://localhost:" + origin.port() + "/");
            assertThat(curl).isEqualTo(new Curl.Result(0, "hello", ""));
        }
    }

    @Test
    void clientsGoThroughAProxy() throws Exception {
        try (HttpOrigin plainProxy = new HttpOrigin()) {
            HttpResponse<String> response = Http.get(Http.viaProxy(plainProxy.address()),
                    "http://127.0.0.1:1/absolute");

            assertThat(response.body()).isEqualTo("hello");
            assertThat(plainProxy.nextRequest().requestLine())
                    .as("absolute-form, sent to the proxy").isEqualTo("GET http://127.0.0.1:1/absolute HTTP/1.1");
        }
        try (HttpsOrigin origin = new HttpsOrigin(); MiniConnectProxy proxy = new MiniConnectProxy()) {
            String url = "https://localhost:" + origin.port() + "/tunnelled";

            HttpResponse<String> response = Http.get(Http.viaProxy(proxy.address(), origin.clientContext()), url);

            assertThat(response.body()).isEqualTo("hello");
            assertThat(proxy.requestLines()).containsExactly("CONNECT localhost:" + origin.port() + " HTTP/1.1");
            assumeThat(Curl.available()).as("curl installed").isTrue();
            Curl.Result curl = Curl.run("-x", "http://" + Loopback.hostPort(proxy.address().getPort()),
                    "--cacert", origin.caPem().toString(), url);
            assertThat(curl).isEqualTo(new Curl.Result(0, "hello", ""));
            assertThat(proxy.requestLines()).hasSize(2);
        }
    }

    @Test
    void testFilesWritesConfigs(@TempDir Path dir) throws Exception {
        Path config = TestFiles.config(dir, """
                server { listen 127.0.0.1:%d; }
                """.formatted(8080));
        Path nested = TestFiles.write(dir, "conf.d/extra.conf", "x;\n");

        assertThat(config).isEqualTo(dir.resolve("tunnelgate.conf"));
        assertThat(Files.readString(config)).isEqualTo("server { listen 127.0.0.1:8080; }\n");
        assertThat(Files.readString(nested)).isEqualTo("x;\n");
    }

    @Test
    void closedPortRefusesConnections() {
        assertThatThrownBy(() -> new Socket(Loopback.IPV4, Loopback.closedPort()).close())
                .isInstanceOf(ConnectException.class);
    }

    private static void reply(Socket socket, String text) throws Exception {
        socket.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
        socket.shutdownOutput();
    }
}
