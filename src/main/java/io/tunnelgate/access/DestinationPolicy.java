package io.tunnelgate.access;

import io.tunnelgate.script.ScriptContext;
import java.net.InetAddress;
import java.util.List;

/**
 * The destination rules of one level (a server for CONNECT, a location for {@code proxy_pass}),
 * immutable once loaded. Each list is read in config order and the first rule that matches
 * decides; no match allows. A level that has rules of a kind replaces the ones it would inherit,
 * as with {@code allow}/{@code deny}.
 *
 * @param addressRules {@code destination_allow} / {@code destination_deny}, for the address dialled
 * @param hostRules {@code destination_host_allow} / {@code destination_host_deny}, for the host asked for
 * @param <C> the request type host-rule variables are read from
 */
public record DestinationPolicy<C extends ScriptContext>(List<DestinationRule> addressRules,
                                                         List<HostRule<C>> hostRules) {
    public DestinationPolicy {
        addressRules = List.copyOf(addressRules);
        hostRules = List.copyOf(hostRules);
    }

    /** Whether there are address rules at all (then every dial is checked). */
    public boolean checksAddresses() {
        return !addressRules.isEmpty();
    }

    /** The rule that denies dialling {@code address}, or null when it is allowed. */
    public DestinationRule denial(InetAddress address) {
        byte[] a = DestinationNets.normalize(address);
        for (DestinationRule r : addressRules) {
            if (r.matches(a)) {
                return r.allow() ? null : r;
            }
        }
        return null;
    }

    /** The rule that denies going to {@code host} (as the request names it), or null when it is allowed. */
    public HostRule<C> hostDenial(C ctx, String host) {
        if (hostRules.isEmpty()) {
            return null;
        }
        String subject = hostSubject(host);
        for (HostRule<C> r : hostRules) {
            if (r.matches(ctx, subject)) {
                return r.allow() ? null : r;
            }
        }
        return null;
    }

    /**
     * The form host rules see a host in: lower case, one trailing dot removed, an IPv6 literal
     * without its brackets ({@code [::1]} and {@code ::1} are both {@code ::1}).
     */
    public static String hostSubject(String host) {
        String h = host;
        if (h.length() > 1 && h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        if (h.length() > 1 && h.endsWith(".")) {
            h = h.substring(0, h.length() - 1);
        }
        return HostPattern.lower(h);
    }
}
