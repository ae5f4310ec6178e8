package io.tunnelgate.upstream;

import io.netty.util.NetUtil;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * One server of an upstream group: one address of a {@code server} line (a host name that resolves
 * to several addresses gives several peers with the same parameters).
 *
 * <p>Equality is a record's, but the {@link Balancer} tells peers apart by identity: two
 * {@code server} lines with the same address are two peers, as in nginx.
 *
 * @param name nginx's peer name as {@code $upstream_addr} shows it: {@code ip:port}, IPv6 as
 *     {@code [::1]:port}
 * @param address the resolved socket address
 * @param weight {@code weight=}, at least 1
 * @param maxFails {@code max_fails=}; 0 means failures never take the peer out
 * @param failTimeoutMs {@code fail_timeout=}: the window failures are counted in and how long a
 *     failed-out peer is skipped
 * @param backup {@code backup}: used only when no primary peer can be
 * @param down {@code down}: never used
 */
public record Peer(String name, InetSocketAddress address, int weight, int maxFails, long failTimeoutMs,
                   boolean backup, boolean down) {

    /** nginx's text for an address: {@code 127.0.0.1:80}, {@code [::1]:80}. */
    static String nameOf(InetSocketAddress address) {
        InetAddress ip = address.getAddress();
        if (ip instanceof Inet6Address) {
            return "[" + NetUtil.toAddressString(ip) + "]:" + address.getPort();
        }
        return ip.getHostAddress() + ":" + address.getPort();
    }
}
