package io.tunnelgate.access;

import io.tunnelgate.config.SourcePos;
import java.util.List;

/**
 * One {@code destination_allow} or {@code destination_deny} line: which dialled addresses it
 * covers, and where it was written, for the error-log line of a denial.
 *
 * @param all the argument was {@code all}
 * @param networks the networks of an address, a network or a named set, each normalised
 *     ({@link DestinationNets#normalize(Cidr)}); empty for {@code all}
 * @param text the line as written, e.g. {@code destination_deny loopback}
 * @param pos the line's file and number
 */
public record DestinationRule(boolean allow, boolean all, List<Cidr> networks, String text, SourcePos pos) {
    public DestinationRule {
        networks = List.copyOf(networks);
    }

    /** Whether the rule covers an address already normalised with {@link DestinationNets#normalize(byte[])}. */
    public boolean matches(byte[] normalized) {
        if (all) {
            return true;
        }
        for (Cidr c : networks) {
            if (c.contains(normalized)) {
                return true;
            }
        }
        return false;
    }

    /** How error-log lines name the rule: {@code "destination_deny loopback" in /etc/tg.conf:12}. */
    @Override
    public String toString() {
        return "\"" + text + "\" in " + pos;
    }
}
