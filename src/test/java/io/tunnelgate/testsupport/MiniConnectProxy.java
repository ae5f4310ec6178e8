package io.tunnelgate.testsupport;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Test double for the support classes' own tests: the smallest CONNECT-only proxy (loopback targets only), so
 * {@link Http#viaProxy} and curl can be checked against a real tunnel before Tunnelgate exists. Built on
 * {@link ScriptedServer}.
 */
final class MiniConnectProxy implements AutoCloseable {

    private static final Set<String> LOOPBACK_HOSTS = Set.of("localhost", "127.0.0.1");

    private final ScriptedServer server = new ScriptedServer(this::tunnel);
    private final List<String> requestLines = new CopyOnWriteArrayList<>();

    /** {@code 127.0.0.1:port} of the proxy. */
    InetSocketAddress address() {
        return server.address();
    }

    /** Request lines received, in order. */
    List<String> requestLines() {
        return List.copyOf(requestLines);
    }

    @Override
    public void close() {
        server.close();
    }

    private void tunnel(Socket client) throws Exception {
        InputStream fromClient = new BufferedInputStream(client.getInputStream());
        String head = HttpWire.readHead(fromClient);
        String requestLine = HttpWire.startLine(head);
        requestLines.add(requestLine);
        String[] parts = requestLine.split(" ");
        String authority = parts[1];
        int colon = authority.lastIndexOf(':');
        String host = authority.substring(0, colon);
        if (!"CONNECT".equals(parts[0]) || !LOOPBACK_HOSTS.contains(host)) {
            write(client.getOutputStream(), "HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n");
            return;
        }
        try (Socket upstream = new Socket(Loopback.IPV4, Integer.parseInt(authority.substring(colon + 1)))) {
            write(client.getOutputStream(), "HTTP/1.1 200 Connection Established\r\n\r\n");
            Thread back = pump(upstream.getInputStream(), client, "mini-proxy-down");
            relay(fromClient, upstream);
            back.join(10_000);
        }
    }

    private static Thread pump(InputStream from, Socket to, String name) {
        Thread thread = new Thread(() -> {
            try {
                relay(from, to);
            } catch (IOException ignored) {
                // One side went away; the other direction ends on its own.
            }
        }, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    /** Copies to EOF, then passes the half-close on. */
    private static void relay(InputStream from, Socket to) throws IOException {
        from.transferTo(to.getOutputStream());
        to.shutdownOutput();
    }

    private static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }
}
