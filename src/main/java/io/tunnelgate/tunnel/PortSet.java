package io.tunnelgate.tunnel;

import java.util.List;

/**
 * The ports {@code proxy_connect_allow} permits: all, or a list of single ports and inclusive
 * ranges. Without the directive only 443 and 563 are allowed.
 */
record PortSet(boolean all, List<int[]> ranges) {
    static final PortSet DEFAULT = new PortSet(false, List.of(new int[] {443, 443}, new int[] {563, 563}));

    boolean allows(int port) {
        if (all) {
            return true;
        }
        for (int[] r : ranges) {
            if (port >= r[0] && port <= r[1]) {
                return true;
            }
        }
        return false;
    }
}
