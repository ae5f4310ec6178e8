package io.tunnelgate.http;

import java.net.SocketAddress;

/**
 * All servers listening on one address:port: the socket options given for it (by whichever
 * {@code listen} carried them) and the virtual hosts that choose among the servers.
 */
public record ListenGroup(SocketAddress address, ListenSpec options, VirtualHosts hosts) {
}
