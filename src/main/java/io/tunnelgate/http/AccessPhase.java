package io.tunnelgate.http;

import io.tunnelgate.access.AccessRule;
import io.tunnelgate.log.LogLevel;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * nginx's access phase: allow/deny first, then authentication, combined as {@code satisfy} says.
 * With {@code all} (the default) a deny answers 403 at once and otherwise authentication must
 * pass. With {@code any} an allowing rule passes without authentication; otherwise passing
 * authentication suffices, and when it fails too the answer is authentication's own (401/407, so
 * the client can send credentials) unless it did not apply, then 403.
 *
 * <p>A CONNECT uses its server's configuration; other requests their location's.
 */
final class AccessPhase {
    private static final int FORBIDDEN = 403;

    private AccessPhase() {
    }

    /**
     * Checks the request.
     *
     * @param next what goes on once access is granted after a pause (authentication waits for the
     *     verification pool); runs on the event loop
     * @return true to go on now; false when the request was answered or waits (then {@code next}
     *     runs if access is granted)
     */
    static boolean check(Request req, Exchange ex, Runnable next) {
        LocationConf l = req.location();
        AccessConf conf = l != null ? l.access() : req.serverConf().access();
        int rules = rules(conf.rules(), req);
        if (rules == FORBIDDEN && !conf.satisfyAny()) {
            forbid(req, ex);
            return false;
        }
        if (rules == AuthCheck.OK && conf.satisfyAny()) {
            return true;
        }
        if (conf.auth() == null) {
            if (rules == FORBIDDEN) {
                forbid(req, ex);
                return false;
            }
            return true;
        }
        conf.auth().check(req, verdict -> decided(req, ex, rules, verdict, next));
        return false;
    }

    /** The first rule that matches the client decides: OK, FORBIDDEN, or DECLINED when none does. */
    private static int rules(List<AccessRule> rules, Request req) {
        InetSocketAddress client = req.connection().remoteAddress();
        for (AccessRule rule : rules) {
            if (rule.matches(client == null ? null : client.getAddress())) {
                return rule.allow() ? AuthCheck.OK : FORBIDDEN;
            }
        }
        return AuthCheck.DECLINED;
    }

    private static void decided(Request req, Exchange ex, int rules, int verdict, Runnable next) {
        if (!req.connection().channel().isActive()) {
            // the client left while its password was checked: nobody to answer or connect for
            ex.closeWithoutResponse(req, StatusText.CLIENT_CLOSED);
            return;
        }
        if (verdict == AuthCheck.OK || verdict == AuthCheck.DECLINED && rules != FORBIDDEN) {
            next.run();
        } else if (verdict == AuthCheck.DECLINED) {
            forbid(req, ex);
        } else {
            ex.sendError(req, verdict);
        }
    }

    private static void forbid(Request req, Exchange ex) {
        req.log(LogLevel.ERROR, "access forbidden by rule");
        ProxyStatus.requestDenied(req, "client denied by allow/deny rules");
        ex.sendError(req, FORBIDDEN);
    }
}
