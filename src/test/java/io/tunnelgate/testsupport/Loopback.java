package io.tunnelgate.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;

/** The only addresses tests may dial: IPv4 loopback helpers. */
public final class Loopback {

    /** {@code 127.0.0.1}, explicitly (not {@link InetAddress#getLoopbackAddress()}, which may be {@code ::1}). */
    public static final InetAddress IPV4 = ipv4();

    private Loopback() {
    }

    /** {@code 127.0.0.1:port}. */
    public static InetSocketAddress address(int port) {
        return new InetSocketAddress(IPV4, port);
    }

    /** {@code "127.0.0.1:port"}, e.g. for a CONNECT target or a config file. */
    public static String hostPort(int port) {
        return "127.0.0.1:" + port;
    }

    /**
     * A loopback port nothing listens on (bound, then released), for "connection refused" tests. Another process
     * could take it in between, which on loopback in a test run is unlikely enough.
     */
    public static int closedPort() {
        try (ServerSocket socket = new ServerSocket(0, 1, IPV4)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static InetAddress ipv4() {
        try {
            return InetAddress.getByAddress("127.0.0.1", new byte[] {127, 0, 0, 1});
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
