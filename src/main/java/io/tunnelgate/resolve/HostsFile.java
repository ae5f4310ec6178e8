package io.tunnelgate.resolve;

import io.netty.resolver.HostsFileEntriesProvider;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A hosts file, read once with Netty's parser. Netty's {@code DefaultHostsFileEntriesResolver} cannot be
 * pointed at another file, so {@code resolver system} consults this itself before any query, which also
 * lets it return every address of a name rather than the first.
 */
final class HostsFile {

    private final Map<String, List<InetAddress>> ipv4;
    private final Map<String, List<InetAddress>> ipv6;

    private HostsFile(Map<String, List<InetAddress>> ipv4, Map<String, List<InetAddress>> ipv6) {
        this.ipv4 = ipv4;
        this.ipv6 = ipv6;
    }

    /** Reads {@code path}; a missing or unreadable file is an empty one. Call off the event loops. */
    static HostsFile load(Path path) {
        HostsFileEntriesProvider entries = HostsFileEntriesProvider.parser().parseSilently(path.toFile());
        return new HostsFile(Map.copyOf(entries.ipv4Entries()), Map.copyOf(entries.ipv6Entries()));
    }

    /** The addresses of a normalised name in the wanted families, IPv4 first; empty when it is not listed. */
    List<InetAddress> lookup(String name, boolean wantIpv4, boolean wantIpv6) {
        List<InetAddress> found = new ArrayList<>(2);
        if (wantIpv4) {
            found.addAll(ipv4.getOrDefault(name, List.of()));
        }
        if (wantIpv6) {
            found.addAll(ipv6.getOrDefault(name, List.of()));
        }
        return found;
    }
}
