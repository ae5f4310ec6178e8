package io.tunnelgate.server;

import io.tunnelgate.http.ListenGroup;
import io.tunnelgate.http.UnixListenAddress;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decides which sockets to bind for the configured listen addresses, the way nginx does: a
 * wildcard address on a port also takes that port's specific addresses (unless they say
 * {@code bind}); {@code [::]} is IPv6-only unless {@code ipv6only=off}. Where the transport cannot
 * make a socket IPv6-only (NIO), {@code [::]} is bound dual-stack and serves the IPv4 wildcard's
 * servers too, instead of failing to bind both. Where it cannot make the IPv4 wildcard IPv4-only
 * (io_uring), the same one dual-stack socket serves both wildcards, and an IPv4 wildcard alone
 * also takes the port's specific IPv6 addresses, which it covers; IPv6 clients no listen covers
 * are closed unanswered there (by {@link Dispatch}).
 */
final class ListenPlan {
    /** One socket to bind, with the options of its listen directive and its dispatch table. */
    record Socket(SocketAddress address, ListenGroup group, Dispatch dispatch, boolean ipv6Only) {
    }

    private ListenPlan() {
    }

    static List<Socket> plan(List<ListenGroup> groups, Transport transport) {
        Map<Integer, List<ListenGroup>> byPort = new LinkedHashMap<>();
        List<Socket> sockets = new ArrayList<>();
        for (ListenGroup g : groups) {
            if (g.address() instanceof UnixListenAddress) {
                // a Unix socket is its own listener; every connection on it belongs to its servers
                Socket s = socket(g, false);
                s.dispatch().serveAll(g.hosts());
                sockets.add(s);
            } else {
                byPort.computeIfAbsent(inet(g).getPort(), k -> new ArrayList<>()).add(g);
            }
        }
        for (List<ListenGroup> port : byPort.values()) {
            planPort(port, transport, sockets);
        }
        return sockets;
    }

    private static void planPort(List<ListenGroup> port, Transport transport, List<Socket> out) {
        ListenGroup any4 = null;
        ListenGroup any6 = null;
        for (ListenGroup g : port) {
            if (inet(g).getAddress().isAnyLocalAddress()) {
                if (inet(g).getAddress() instanceof Inet4Address) {
                    any4 = g;
                } else {
                    any6 = g;
                }
            }
        }
        Socket s6 = null;
        Socket s4 = null;
        if (any6 != null) {
            boolean wantsV6Only = any6.options().ipv6only();
            boolean v6Only = wantsV6Only && transport.supportsIpv6Only()
                    && !(any4 != null && transport.dualStackIpv4Wildcard());
            s6 = socket(any6, v6Only);
            s6.dispatch().setAny6(any6.hosts());
            if (!v6Only) {
                // dual-stack: IPv4 clients arrive here too
                if (any4 != null && wantsV6Only) {
                    s6.dispatch().setAny4(any4.hosts());
                    any4 = null;
                } else if (!wantsV6Only) {
                    s6.dispatch().setAny4(any6.hosts());
                }
            }
            out.add(s6);
        }
        if (any4 != null) {
            s4 = socket(any4, false);
            s4.dispatch().setAny4(any4.hosts());
            out.add(s4);
        }
        boolean s6TakesV4 = s6 != null && !s6.ipv6Only();
        boolean s4TakesV6 = s4 != null && transport.dualStackIpv4Wildcard();
        for (ListenGroup g : port) {
            if (inet(g).getAddress().isAnyLocalAddress()) {
                continue;
            }
            boolean v4 = inet(g).getAddress() instanceof Inet4Address;
            Socket host = g.options().bind() ? null
                    : v4 ? (s4 != null ? s4 : s6TakesV4 ? s6 : null) : (s6 != null ? s6 : s4TakesV6 ? s4 : null);
            if (host == null) {
                Socket own = socket(g, false);
                own.dispatch().addSpecific(inet(g).getAddress(), g.hosts());
                out.add(own);
            } else {
                host.dispatch().addSpecific(inet(g).getAddress(), g.hosts());
            }
        }
    }

    private static InetSocketAddress inet(ListenGroup g) {
        return (InetSocketAddress) g.address();
    }

    private static Socket socket(ListenGroup g, boolean ipv6Only) {
        return new Socket(g.address(), g, new Dispatch(), ipv6Only);
    }
}
