package io.tunnelgate.http;

import io.tunnelgate.access.AccessRule;
import java.util.List;

/**
 * What the access phase of a server or location checks.
 *
 * @param rules the allow/deny rules, in config order
 * @param satisfyAny {@code satisfy any}: passing either check suffices; else both must pass
 * @param auth the authentication check, or null when authentication is off
 */
public record AccessConf(List<AccessRule> rules, boolean satisfyAny, AuthCheck auth) {
    /** No rules and no authentication: every request passes. */
    public static final AccessConf NONE = new AccessConf(List.of(), false, null);

    public AccessConf {
        rules = List.copyOf(rules);
    }

    /** Only allow/deny rules, with {@code satisfy all}. */
    public static AccessConf of(List<AccessRule> rules) {
        return new AccessConf(rules, false, null);
    }
}
