package io.tunnelgate.http;

import io.tunnelgate.config.Block;
import io.tunnelgate.config.ConfigException;
import java.util.function.IntConsumer;

/**
 * The authentication step of the access phase ({@code auth_basic}), after allow/deny. The auth
 * package provides it through the load context ({@link Factory}), so that http does not depend on
 * how credentials are checked.
 */
public interface AuthCheck {
    /** The credentials were accepted. */
    int OK = 0;
    /** Authentication does not apply to this request (nginx's {@code NGX_DECLINED}). */
    int DECLINED = -1;

    /**
     * Decides on a request. Runs on the request's event loop and calls {@code done} exactly once,
     * on that loop, before returning or later: with {@link #OK}, {@link #DECLINED}, or the status
     * to answer (401 or 407 with their challenge header already added to the request, 503, 500).
     */
    void check(Request req, IntConsumer done);

    /** Builds the check of a merged server or location level. */
    @FunctionalInterface
    interface Factory {
        /** The level's check, or null when authentication is off there. */
        AuthCheck create(Block level) throws ConfigException;
    }
}
