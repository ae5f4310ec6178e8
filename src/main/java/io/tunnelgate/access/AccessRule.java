package io.tunnelgate.access;

import java.net.InetAddress;

/**
 * One {@code allow} or {@code deny} line: a network, {@code all}, or {@code unix:} (clients of a
 * Unix socket).
 *
 * @param cidr the network, or null for {@code all} and {@code unix:}
 * @param unix true for {@code unix:}
 */
public record AccessRule(boolean allow, Cidr cidr, boolean unix, String text) {
    /** Whether the rule applies to a client ({@code address} null for a Unix-socket client). */
    public boolean matches(InetAddress address) {
        if (unix) {
            return address == null;
        }
        if (cidr == null) {
            return true;
        }
        return address != null && cidr.contains(address);
    }
}
