package io.tunnelgate.upstream;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Load-time host name resolution, as the {@code listen} and {@code resolver} directives do it: the
 * JDK resolver (hosts file, then DNS), on the loading thread. Injectable so tests never depend on
 * DNS for a name that must not resolve.
 */
@FunctionalInterface
interface HostLookup {
    /** The JDK's resolver. */
    HostLookup SYSTEM = InetAddress::getAllByName;

    InetAddress[] lookup(String host) throws UnknownHostException;
}
