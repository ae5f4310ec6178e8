package io.tunnelgate.http;

import io.tunnelgate.config.Block;
import io.tunnelgate.config.ConfigException;

/**
 * nginx's pre-access phase of one level (server or location): {@code limit_req} and
 * {@code limit_conn}, built by {@code io.tunnelgate.limit} from the level's merged block. It runs
 * after the rewrite phases and before access (allow/deny, auth), with the location's settings, or
 * the server's for CONNECT and for requests that match no location (spec §3.3).
 *
 * <p>Runs on the connection's event loop; may run again for the same request (after a delay, or
 * an internal redirect), and must then let the request pass what it already decided, as nginx's
 * modules do with {@code r->main->limit_req_status}.
 */
@FunctionalInterface
public interface PreAccess {
    /** A level without limits. */
    PreAccess NONE = req -> Verdict.PROCEED;

    /** Decides what happens to {@code req} now. */
    Verdict check(Request req);

    /**
     * What the phase decided.
     *
     * @param status the error status to answer with (through {@code error_page}), or 0
     * @param delayMillis how long the request waits before the phase runs again, or 0
     */
    record Verdict(int status, long delayMillis) {
        /** Go on to the access phase. */
        public static final Verdict PROCEED = new Verdict(0, 0);

        /** Answer with {@code status}. */
        public static Verdict reject(int status) {
            return new Verdict(status, 0);
        }

        /** Wait {@code millis} (more than 0), then run the phase again. */
        public static Verdict delay(long millis) {
            return new Verdict(0, millis);
        }
    }

    /** Builds a level's phase from its merged block; registered in the load context by the limit package. */
    @FunctionalInterface
    interface Factory {
        PreAccess create(Block level) throws ConfigException;
    }
}
