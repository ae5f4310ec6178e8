package io.tunnelgate.tunnel;

import io.tunnelgate.testsupport.Loopback;
import io.tunnelgate.testsupport.RawClient;
import io.tunnelgate.testsupport.ScriptedServer;
import io.tunnelgate.testsupport.TestProxy;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The inside of {@link TransparentBindTest}: run by that test in a child JVM inside a network
 * namespace that has only {@code lo}. Starts an origin that answers with the peer address it sees
 * and a proxy with two servers (by Host) that bind {@value #SOURCE}, an address no interface of
 * the namespace has, with and without {@code transparent}; makes one CONNECT to each and prints
 * one line per case ({@code <case> <status> <what the origin said>}) and then the error log.
 */
final class TransparentBindProbe {
    /** TEST-NET-1 (RFC 5737): never assigned, and here only ever a source inside the namespace. */
    static final String SOURCE = "192.0.2.1";

    private TransparentBindProbe() {
    }

    /** {@code args[0]}: the directory for the proxy's config and logs; {@code args[1]}: the transport ({@code use}). */
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        String transport = args.length > 1 ? args[1] : "epoll";
        try (ScriptedServer origin = new ScriptedServer(socket -> socket.getOutputStream().write(
                socket.getInetAddress().getHostAddress().getBytes(StandardCharsets.ISO_8859_1)));
             TestProxy proxy = TestProxy.start(dir, """
                     error_log ${DIR}/error.log info;
                     events { use %2$s; }
                     http {
                         access_log off;
                         server {
                             listen 127.0.0.1:${PORT};
                             server_name transparent.test;
                             proxy_connect;
                             proxy_connect_allow all;
                             proxy_connect_bind %1$s transparent;
                         }
                         server {
                             listen 127.0.0.1:${PORT};
                             server_name plain.test;
                             proxy_connect;
                             proxy_connect_allow all;
                             proxy_connect_bind %1$s;
                         }
                     }
                     """.formatted(SOURCE, transport))) {
            System.out.println("transparent " + tunnel(proxy, "transparent.test", origin.port()));
            System.out.println("plain " + tunnel(proxy, "plain.test", origin.port()));
            // the lines are written by the log writer thread: wait for it before reading
            proxy.settleLogs("error.log");
            proxy.lines("error.log").forEach(l -> System.out.println("log " + l));
        }
    }

    /** A CONNECT to the origin through the server named {@code host}: its status and the origin's words. */
    private static String tunnel(TestProxy proxy, String host, int originPort) throws IOException {
        try (RawClient client = RawClient.connect(proxy.address())) {
            client.send("CONNECT " + Loopback.hostPort(originPort) + " HTTP/1.1\r\nHost: " + host + "\r\n\r\n");
            String head = client.readHead();
            int status = RawClient.status(head);
            String rest = status == 200 ? new String(client.readToEof(), StandardCharsets.ISO_8859_1) : "-";
            return status + " " + rest;
        }
    }
}
