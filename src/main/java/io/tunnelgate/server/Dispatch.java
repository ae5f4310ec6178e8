package io.tunnelgate.server;

import io.tunnelgate.http.VirtualHosts;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;

/**
 * Which servers a connection on a bound socket belongs to, by the local address it arrived on:
 * a wildcard socket also serves the specific addresses of its port that were not bound on their
 * own, as nginx does ({@code listen 80} plus {@code listen 127.0.0.1:80} bind one socket).
 */
final class Dispatch {
    private final Map<InetAddress, VirtualHosts> specific = new HashMap<>();
    private VirtualHosts any4;
    private VirtualHosts any6;
    private VirtualHosts all;

    void addSpecific(InetAddress address, VirtualHosts hosts) {
        specific.put(address, hosts);
    }

    /** Every connection on this socket belongs to {@code hosts} (a Unix socket). */
    void serveAll(VirtualHosts hosts) {
        all = hosts;
    }

    void setAny4(VirtualHosts hosts) {
        any4 = hosts;
    }

    void setAny6(VirtualHosts hosts) {
        any6 = hosts;
    }

    /**
     * @return the virtual hosts, or null when no listen directive covers this address (an IPv4
     *     client on a dual-stack socket whose {@code [::]} listen asked for IPv6 only)
     */
    VirtualHosts select(InetSocketAddress local) {
        if (all != null) {
            return all;
        }
        if (local == null) {
            return any4 != null ? any4 : any6;
        }
        VirtualHosts h = specific.get(local.getAddress());
        if (h != null) {
            return h;
        }
        return local.getAddress() instanceof Inet4Address ? any4 : any6;
    }
}
