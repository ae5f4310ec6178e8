package io.tunnelgate.http;

import java.net.SocketAddress;
import java.nio.file.Path;

/**
 * The address of {@code listen unix:/path}: a Unix domain socket, independent of the transport
 * that will bind it (the native transports and NIO each have their own address type).
 */
public final class UnixListenAddress extends SocketAddress {
    private static final long serialVersionUID = 1L;
    private final String path;

    public UnixListenAddress(String path) {
        this.path = path;
    }

    /** The socket file's path as written in the config. */
    public Path path() {
        return Path.of(path);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UnixListenAddress u && u.path.equals(path);
    }

    @Override
    public int hashCode() {
        return path.hashCode();
    }

    /** {@code unix:/path}, as nginx prints it. */
    @Override
    public String toString() {
        return "unix:" + path;
    }
}
