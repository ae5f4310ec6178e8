package io.tunnelgate.access;

import io.tunnelgate.config.SourcePos;
import io.tunnelgate.script.ScriptContext;
import java.util.List;

/**
 * One {@code destination_host_allow} or {@code destination_host_deny} line: it matches when any
 * of its patterns does.
 *
 * @param text the line as written, e.g. {@code destination_host_deny .internal.example}
 * @param pos the line's file and number
 * @param <C> the request type variables are read from
 */
public record HostRule<C extends ScriptContext>(boolean allow, List<HostPattern<C>> patterns, String text,
                                                SourcePos pos) {
    public HostRule {
        patterns = List.copyOf(patterns);
    }

    /** Whether any pattern covers {@code host} (in {@link DestinationPolicy#hostSubject} form). */
    public boolean matches(C ctx, String host) {
        for (HostPattern<C> p : patterns) {
            if (p.matches(ctx, host)) {
                return true;
            }
        }
        return false;
    }

    /** How error-log lines name the rule: {@code "destination_host_deny all" in /etc/tg.conf:14}. */
    @Override
    public String toString() {
        return "\"" + text + "\" in " + pos;
    }
}
