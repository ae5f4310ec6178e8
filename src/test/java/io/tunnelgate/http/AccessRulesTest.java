package io.tunnelgate.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.tunnelgate.testsupport.EchoServer;
import io.tunnelgate.testsupport.Loopback;
import io.tunnelgate.testsupport.RawClient;
import io.tunnelgate.testsupport.TestProxy;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code allow}/{@code deny} as nginx's access module: an address, a CIDR, IPv6 ({@code ::1}),
 * {@code all}, and {@code unix:} for clients of a Unix-socket listener; the first rule that matches
 * decides; a level with rules replaces the ones it would inherit (http to server, server to
 * location); a refusal is 403 with "access forbidden by rule". Each server below is one rule set,
 * chosen by Host; the clients are 127.0.0.1, ::1 and a Unix socket. A GET that passes gets the 404
 * of a server with nothing to serve (a {@code return} would answer before the access phase).
 */
class AccessRulesTest {
    @TempDir
    static Path dir;
    private static TestProxy proxy;
    private static EchoServer echo;

    @BeforeAll
    static void start() {
        echo = new EchoServer();
        proxy = TestProxy.start(dir, """
                http {
                    log_format t '"$request" $status $remote_addr';
                    access_log ${DIR}/access.log t;
                    error_log ${DIR}/error.log info;
                    deny all;
                    server {
                        listen 127.0.0.1:${PORT};
                        listen [::1]:${PORT};
                        listen unix:${DIR}/proxy.sock;
                        server_name inherit.test;
                        proxy_connect;
                        proxy_connect_allow all;
                    }
                    server {
                        listen 127.0.0.1:${PORT};
                        server_name address.test;
                        proxy_connect;
                        proxy_connect_allow all;
                        allow 127.0.0.1;
                        deny all;
                        location /loc/ {
                            deny 127.0.0.1;
                            return 200 "location return comes first";
                        }
                        location /loc-content/ { deny 127.0.0.1; }
                        location /inherit/ { }
                    }
                    server {
                        listen 127.0.0.1:${PORT};
                        server_name first.test;
                        proxy_connect;
                        proxy_connect_allow all;
                        deny 127.0.0.1;
                        allow all;
                    }
                    server {
                        listen 127.0.0.1:${PORT};
                        server_name cidr.test;
                        proxy_connect;
                        proxy_connect_allow all;
                        deny 127.0.0.2/32;
                        allow 127.0.0.0/8;
                        deny all;
                    }
                    server {
                        listen 127.0.0.1:${PORT};
                        server_name other-net.test;
                        proxy_connect;
                        proxy_connect_allow all;
                        allow 10.0.0.0/8;
                        allow ::1;
                        deny all;
                    }
                    server {
                        listen 127.0.0.1:${PORT};
                        listen [::1]:${PORT};
                        server_name v6.test;
                        proxy_connect;
                        proxy_connect_allow all;
                        allow ::1/128;
                        deny all;
                    }
                    server {
                        listen 127.0.0.1:${PORT};
                        listen unix:${DIR}/proxy.sock;
                        server_name unix.test;
                        proxy_connect;
                        proxy_connect_allow all;
                        allow unix:;
                        deny all;
                    }
                    server {
                        listen 127.0.0.1:${PORT};
                        listen unix:${DIR}/proxy.sock;
                        server_name nounix.test;
                        proxy_connect;
                        proxy_connect_allow all;
                        deny unix:;
                        allow all;
                    }
                }
                """);
    }

    @AfterAll
    static void stop() {
        proxy.close();
        echo.close();
    }

    @ParameterizedTest(name = "{0}{1} over {2}")
    @CsvSource({
        "inherit.test,   /,             ipv4, 403",
        "inherit.test,   /,             ipv6, 403",
        "inherit.test,   /,             unix, 403",
        "address.test,   /,             ipv4, 404",
        "address.test,   /loc/,         ipv4, 200",
        "address.test,   /loc-content/, ipv4, 403",
        "address.test,   /inherit/,     ipv4, 404",
        "first.test,     /,             ipv4, 403",
        "cidr.test,      /,             ipv4, 404",
        "other-net.test, /,             ipv4, 403",
        "v6.test,        /,             ipv4, 403",
        "v6.test,        /,             ipv6, 404",
        "unix.test,      /,             ipv4, 403",
        "unix.test,      /,             unix, 404",
        "nounix.test,    /,             ipv4, 404",
        "nounix.test,    /,             unix, 403",
    })
    void theFirstMatchingRuleOfTheNearestLevelWithRulesDecides(String host, String uri, String via, int status)
            throws Exception {
        String response = send(via, "GET " + uri + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n");
        assertThat(RawClient.status(response)).isEqualTo(status);
    }

    @Test
    void aRefusalIs403WithTheRuleLine() throws Exception {
        Logs logs = Logs.mark(proxy);
        try (RawClient client = RawClient.connect(proxy.address())) {
            client.send("GET /x HTTP/1.1\r\nHost: first.test\r\n\r\n");
            Reply.read(client).assertPage("HTTP/1.1 403 Forbidden", "403 Forbidden", false);
        }
        assertThat(logs.accessLine()).isEqualTo("\"GET /x HTTP/1.1\" 403 127.0.0.1");
        assertThat(logs.errorLine("error", "access forbidden by rule")).endsWith(
                ", client: 127.0.0.1, server: first.test, request: \"GET /x HTTP/1.1\", host: \"first.test\"");
    }

    @Test
    void connectIsCheckedWithTheServersRules() throws Exception {
        String authority = Loopback.hostPort(echo.port());
        String allowed = send("ipv4", "CONNECT " + authority + " HTTP/1.1\r\nHost: cidr.test\r\n\r\nping");
        assertThat(allowed).isEqualTo("HTTP/1.1 200 Connection Established\r\nProxy-agent: nginx\r\n\r\nping");
        String refused = send("ipv4", "CONNECT " + authority + " HTTP/1.1\r\nHost: first.test\r\n\r\n");
        assertThat(RawClient.status(refused)).isEqualTo(403);
        String unix = send("unix", "CONNECT " + authority + " HTTP/1.1\r\nHost: unix.test\r\n\r\nping");
        assertThat(unix).endsWith("\r\n\r\nping");
    }

    /**
     * Sends {@code request} over {@code via} and returns what came back up to the end of a response
     * (its Content-Length body) or, for a tunnel, the established head and the first echo.
     */
    private static String send(String via, String request) throws Exception {
        Logs logs = Logs.mark(proxy);
        String response = exchange(via, request);
        // a tunnel's line comes when it closes: wait for it, so that it cannot land among the next test's
        logs.accessLines(1);
        return response;
    }

    private static String exchange(String via, String request) throws Exception {
        if (via.equals("unix")) {
            return sendUnix(request);
        }
        InetSocketAddress address = via.equals("ipv6")
                ? new InetSocketAddress(InetAddress.getByName("::1"), proxy.port()) : proxy.address();
        try (RawClient client = RawClient.connect(address)) {
            client.send(request);
            String head = client.readHead();
            if (head.contains("Connection Established")) {
                return head + new String(client.readExactly(4), StandardCharsets.ISO_8859_1);
            }
            String length = Reply.parse(head).header("Content-Length");
            int n = length == null ? 0 : Integer.parseInt(length);
            return head + new String(client.readExactly(n), StandardCharsets.ISO_8859_1);
        }
    }

    private static String sendUnix(String request) throws Exception {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(dir.resolve("proxy.sock")));
            ByteBuffer out = ByteBuffer.wrap(request.getBytes(StandardCharsets.ISO_8859_1));
            while (out.hasRemaining()) {
                ch.write(out);
            }
            StringBuilder text = new StringBuilder();
            ByteBuffer in = ByteBuffer.allocate(8192);
            // a response ends with the close its Connection: close asks for; a tunnel after the echo
            while (!(text.toString().contains("Connection Established") && text.toString().endsWith("ping"))
                    && ch.read(in) >= 0) {
                in.flip();
                text.append(StandardCharsets.ISO_8859_1.decode(in));
                in.clear();
            }
            return text.toString();
        }
    }
}
