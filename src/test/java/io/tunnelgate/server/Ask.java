package io.tunnelgate.server;

import io.tunnelgate.testsupport.RawClient;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/**
 * Asks a proxy which server block answers: the test configs give each server a server-level
 * {@code return 200 "<name>";}, so the body of a GET names the server that was chosen.
 */
final class Ask {
    private Ask() {
    }

    /** The body of {@code GET /} sent to {@code to} with {@code Host: host} (no Host header when null). */
    static String server(InetSocketAddress to, String host) throws IOException {
        try (RawClient client = RawClient.connect(to)) {
            String request = host == null
                    ? "GET / HTTP/1.0\r\n\r\n"
                    : "GET / HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n";
            String response = client.send(request).readResponse();
            if (RawClient.status(response) != 200) {
                throw new AssertionError("expected a server-level return 200, got: " + response);
            }
            return response.substring(response.indexOf("\r\n\r\n") + 4);
        }
    }

    /** {@code address:port} for a literal loopback address such as {@code 127.0.0.2} or {@code ::1}. */
    static InetSocketAddress at(String literal, int port) {
        try {
            return new InetSocketAddress(InetAddress.getByName(literal), port);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(literal, e);
        }
    }
}
