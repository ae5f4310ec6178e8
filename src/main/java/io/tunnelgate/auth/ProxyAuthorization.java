package io.tunnelgate.auth;

import io.tunnelgate.http.ModuleKey;
import io.tunnelgate.http.Request;

/**
 * Marks a request whose {@code Proxy-Authorization} header authentication consumed: the
 * credentials were meant for this proxy, so forwarding must not pass them to the origin. Set
 * whenever {@code auth_basic} applied to a proxy request, whatever the outcome (with
 * {@code satisfy any} an allowed client's header is consumed too).
 */
public final class ProxyAuthorization {
    private static final ModuleKey<Boolean> CONSUMED = ModuleKey.create("auth_basic");

    private ProxyAuthorization() {
    }

    /** Whether the request's {@code Proxy-Authorization} is this proxy's and must not be forwarded. */
    public static boolean consumed(Request req) {
        return Boolean.TRUE.equals(req.get(CONSUMED));
    }

    static void markConsumed(Request req) {
        req.set(CONSUMED, Boolean.TRUE);
    }
}
