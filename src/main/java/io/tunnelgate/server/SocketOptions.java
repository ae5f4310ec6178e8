package io.tunnelgate.server;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.ChannelOption;
import io.tunnelgate.http.ListenSpec;

/** The per-listen socket options of nginx's {@code listen} (rcvbuf, sndbuf, so_keepalive). */
final class SocketOptions {
    private SocketOptions() {
    }

    static void apply(ServerBootstrap b, ListenSpec o, Transport transport) {
        if (o.rcvbuf() > 0) {
            // set on the listening socket so accepted sockets inherit it before the handshake
            b.option(ChannelOption.SO_RCVBUF, o.rcvbuf());
        }
        if (o.sndbuf() > 0) {
            b.childOption(ChannelOption.SO_SNDBUF, o.sndbuf());
        }
        ListenSpec.KeepaliveSpec ka = o.keepalive();
        if (ka == null) {
            return;
        }
        b.childOption(ChannelOption.SO_KEEPALIVE, ka.on());
        Transport.KeepAliveOptions tuning = transport.keepAliveOptions();
        if (tuning != null && ka.on()) {
            if (ka.idleSeconds() > 0) {
                b.childOption(tuning.idle(), ka.idleSeconds());
            }
            if (ka.intervalSeconds() > 0) {
                b.childOption(tuning.interval(), ka.intervalSeconds());
            }
            if (ka.count() > 0) {
                b.childOption(tuning.count(), ka.count());
            }
        }
    }
}
