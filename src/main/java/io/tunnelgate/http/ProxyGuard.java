package io.tunnelgate.http;

import io.tunnelgate.access.DestinationPolicy;
import io.tunnelgate.access.DestinationRule;
import io.tunnelgate.access.HostRule;
import io.tunnelgate.log.LogLevel;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * What a proxying content handler (CONNECT, {@code proxy_pass}) checks before it goes anywhere,
 * and how it reports a failure: the destination policy of its level, and the failure recorded
 * for {@code Proxy-Status} (unless the request's level says {@code proxy_status off}). Immutable;
 * built with the handler's settings.
 *
 * @param policy the destination rules of the level
 * @param logPrefix what the handler's error-log lines start with ({@code "proxy_connect: "} or {@code ""})
 */
public record ProxyGuard(DestinationPolicy<Request> policy, String logPrefix) {
    /** What a request is answered with when every address it could dial was denied. */
    public static final ProxyStatus ADDRESS_DENIED =
            ProxyStatus.of(ProxyError.DESTINATION_IP_PROHIBITED, "destination address denied by policy");
    /** No rules. */
    public static final ProxyGuard NONE = new ProxyGuard(new DestinationPolicy<>(List.of(), List.of()), "");

    /**
     * Checks the host a request goes to against {@code destination_host_allow/deny}; a denial is
     * logged (naming the host and the rule) and recorded as {@code http_request_denied}.
     *
     * @return true when the host is denied: the caller answers 403
     */
    public boolean hostDenied(Request req, String host) {
        HostRule<Request> rule = policy.hostDenial(req, host);
        if (rule == null) {
            return false;
        }
        req.log(LogLevel.ERROR, logPrefix + "destination host \"" + host + "\" denied by " + rule);
        fail(req, ProxyError.HTTP_REQUEST_DENIED, "destination host denied by policy");
        return true;
    }

    /**
     * Checks an address about to be dialled against {@code destination_allow/deny}; a denial is
     * logged, naming the address and the rule. Nothing is recorded for {@code Proxy-Status}: another
     * address may still be tried; the caller answers with {@link #ADDRESS_DENIED} when none is left.
     *
     * @return true when the address must not be dialled
     */
    public boolean addressDenied(Request req, InetSocketAddress peer) {
        if (!policy.checksAddresses()) {
            return false;
        }
        DestinationRule rule = policy.denial(peer.getAddress());
        if (rule == null) {
            return false;
        }
        req.log(LogLevel.ERROR, logPrefix + "destination " + Addresses.text(peer) + " denied by " + rule);
        return true;
    }

    /** Records the failure the request is answered for, unless {@code proxy_status off}. */
    public void fail(Request req, ProxyError error, String details) {
        fail(req, ProxyStatus.of(error, details));
    }

    /** As {@link #fail(Request, ProxyError, String)}, with a prepared value. */
    public void fail(Request req, ProxyStatus status) {
        status.recordOn(req);
    }
}
