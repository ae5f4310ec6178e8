package io.tunnelgate.http;

import io.netty.channel.Channel;
import java.net.InetSocketAddress;

/**
 * One accepted client connection: its serial number ({@code $connection}), addresses, the
 * virtual hosts of the socket it arrived on, and how many requests it has carried.
 *
 * <p>Confined to the connection's event loop.
 */
public final class ClientConnection {
    private final long id;
    private final Channel channel;
    private final VirtualHosts hosts;
    private final Services services;
    private final InetSocketAddress remote;
    private final InetSocketAddress local;
    private String remoteIp;
    private String localIp;
    private int requests;
    private final long startNanos;

    public ClientConnection(long id, Channel channel, VirtualHosts hosts, Services services) {
        this.id = id;
        this.channel = channel;
        this.hosts = hosts;
        this.services = services;
        this.remote = Addresses.normalize(channel.remoteAddress());
        this.local = Addresses.normalize(channel.localAddress());
        this.startNanos = services.nanoTime().getAsLong();
    }

    /** When the connection was accepted, on {@link Services#nanoTime()}'s clock (for keepalive_time). */
    long startNanos() {
        return startNanos;
    }

    public long id() {
        return id;
    }

    public Channel channel() {
        return channel;
    }

    public VirtualHosts hosts() {
        return hosts;
    }

    public Services services() {
        return services;
    }

    /** The client's address (IPv4-mapped addresses normalised), or null for non-IP sockets. */
    public InetSocketAddress remoteAddress() {
        return remote;
    }

    /** {@code $remote_addr}; {@code unix:} for a client of a Unix socket, as in nginx. */
    public String remoteIp() {
        if (remoteIp == null) {
            remoteIp = remote == null ? "unix:" : Addresses.ip(remote.getAddress());
        }
        return remoteIp;
    }

    /** {@code $remote_port}. */
    public int remotePort() {
        return remote == null ? 0 : remote.getPort();
    }

    /** {@code $server_addr}; {@code unix:/path} for a Unix socket, as in nginx. */
    public String localIp() {
        if (localIp == null) {
            localIp = local == null ? Addresses.text(channel.localAddress()) : Addresses.ip(local.getAddress());
        }
        return localIp;
    }

    /** {@code $server_port}. */
    public int localPort() {
        return local == null ? 0 : local.getPort();
    }

    /** Counts a new request and returns its number on this connection ({@code $connection_requests}). */
    int nextRequest() {
        return ++requests;
    }

    public int requests() {
        return requests;
    }
}
