package io.tunnelgate.http;

import io.tunnelgate.config.SourcePos;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * One {@code listen} directive: the address and the socket options nginx lets it carry.
 *
 * @param address the local address: an {@link InetSocketAddress} (the wildcard {@code 0.0.0.0} or
 *     {@code ::} for "all"), or a {@link UnixListenAddress}
 * @param backlog {@code backlog=}, or -1 for the default
 * @param rcvbuf {@code rcvbuf=} bytes, or -1
 * @param sndbuf {@code sndbuf=} bytes, or -1
 * @param keepalive {@code so_keepalive=}, or null when not given
 * @param ipv6only {@code ipv6only=}; nginx's default is on
 * @param bind {@code bind}: bind this address on its own even when a wildcard covers its port
 * @param hasOptions whether any socket option was given (nginx allows them once per address)
 */
public record ListenSpec(SocketAddress address, boolean defaultServer, int backlog, boolean reuseport,
                         int rcvbuf, int sndbuf, KeepaliveSpec keepalive, boolean ipv6only, boolean bind,
                         boolean hasOptions, SourcePos pos) {

    /**
     * {@code so_keepalive=on|off|[keepidle]:[keepintvl]:[keepcnt]}; -1 means "system default".
     */
    public record KeepaliveSpec(boolean on, int idleSeconds, int intervalSeconds, int count) {
    }

    /** True for {@code 0.0.0.0} and {@code ::}. */
    public boolean isWildcard() {
        return address instanceof InetSocketAddress inet && inet.getAddress().isAnyLocalAddress();
    }

    /** {@code 127.0.0.1:3128}, {@code [::1]:3128} or {@code unix:/path}, as nginx prints listen addresses. */
    public String text() {
        return Addresses.text(address);
    }
}
