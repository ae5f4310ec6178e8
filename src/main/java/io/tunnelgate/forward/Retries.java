package io.tunnelgate.forward;

import io.netty.handler.codec.http.HttpMethod;
import io.tunnelgate.http.ProxyGuard;
import io.tunnelgate.http.ProxyStatus;
import java.util.Set;

/**
 * One forwarded request's side of {@code proxy_next_upstream}: how many upstreams it has tried,
 * what its last failure would answer when no other attempt follows, and whether it has already
 * been sent again after a pooled connection turned out to be closed. {@link NextUpstream} holds
 * the configured rule; this holds what the rule is applied to.
 */
final class Retries {
    private static final Set<HttpMethod> IDEMPOTENT = Set.of(HttpMethod.GET, HttpMethod.HEAD,
            HttpMethod.PUT, HttpMethod.DELETE, HttpMethod.OPTIONS, HttpMethod.TRACE);

    private final NextUpstream rule;
    /** Looked up only when a failure asks: most requests never fail. */
    private final HttpMethod method;
    private final long firstTryNanos;
    private int tries;
    /** The status the last failed attempt would answer with (0: none failed). */
    private int lastFailure;
    /** The Proxy-Status that goes with {@link #lastFailure}. */
    private ProxyStatus lastProxyStatus;
    private boolean staleResent;

    Retries(NextUpstream rule, HttpMethod method, long firstTryNanos) {
        this.rule = rule;
        this.method = method;
        this.firstTryNanos = firstTryNanos;
    }

    /** An attempt begins (a dial or a pooled connection); a fresh-connection resend is not one. */
    void attemptStarted() {
        tries++;
    }

    /**
     * Whether the request goes on to the next upstream after a failure of this kind.
     *
     * @param maybeProcessed the request reached the failed upstream (the failure came after the connect)
     * @param bodySent some of the request body has gone upstream and cannot be sent again
     */
    boolean mayRetry(NextUpstream.Condition why, boolean maybeProcessed, boolean bodySent, long nowNanos) {
        return rule.allows(why, maybeProcessed, IDEMPOTENT.contains(method), bodySent, tries, nowNanos - firstTryNanos);
    }

    /** An attempt failed; its status answers if no other attempt follows. */
    void failed(int status, ProxyStatus proxyStatus) {
        lastFailure = status;
        lastProxyStatus = proxyStatus;
    }

    /** An address was skipped by the destination policy: 403 answers if nothing else failed. */
    void denied() {
        if (lastFailure == 0) {
            failed(403, ProxyGuard.ADDRESS_DENIED);
        }
    }

    /** Whether any attempt failed or any address was denied. */
    boolean anyFailed() {
        return lastFailure != 0;
    }

    /** The status the last failure answers with when no address is left (as nginx), 0 if none failed. */
    int lastFailure() {
        return lastFailure;
    }

    ProxyStatus lastProxyStatus() {
        return lastProxyStatus;
    }

    /**
     * A reused pooled connection closed or failed before any response byte: the origin closed it
     * while it was idle, which the request could not know. Once per request, the same request may
     * go again on a fresh connection to the same address, when sending it again is safe.
     *
     * @param received response bytes that came on the connection
     * @param bodySent some of the body went upstream (it cannot be sent twice)
     * @param bodyDone the whole body has been read from the client (none is still coming)
     */
    boolean mayResendFresh(boolean reused, long received, boolean bodySent, boolean bodyDone) {
        if (!reused || staleResent || received > 0 || bodySent || !IDEMPOTENT.contains(method) && !bodyDone) {
            return false;
        }
        staleResent = true;
        return true;
    }
}
