package io.tunnelgate.http;

import java.util.ArrayList;
import java.util.List;

/**
 * What nginx keeps about a request across internal redirects and error pages: the budget of URI
 * changes ({@code uri_changes}), the status later responses take ({@code err_status}), whether an
 * error page was already used, headers added for whatever response ends the request, and the
 * {@code Proxy-Status} of a proxy failure (one value: an error page that fails again replaces it,
 * and a redirect to an error page keeps it, so it is neither lost nor sent twice).
 *
 * <p>Confined to the request's event loop, as the request is.
 */
final class SpecialState {
    /** nginx's uri_changes: rewrites and internal redirects left, plus one. */
    private int uriChanges = Phases.MAX_URI_CHANGES + 1;
    private int errStatus;
    private boolean errorPageDone;
    private List<String> outHeaders;
    private ProxyStatus proxyStatus;

    /**
     * Counts one URI change (rewrite of a location's URI, internal redirect).
     *
     * @return false when that was one too many: nginx's "rewrite or internal redirection cycle"
     */
    boolean takeUriChange() {
        return --uriChanges > 0;
    }

    /** Whether the limit of URI changes was reached (then no error_page applies any more). */
    boolean uriChangesExhausted() {
        return uriChanges <= 0;
    }

    /** 0, or the status every later response of the request takes. */
    int errStatus() {
        return errStatus;
    }

    void errStatus(int status) {
        this.errStatus = status;
    }

    /** Whether an error_page already redirected the request (without recursive_error_pages). */
    boolean errorPageDone() {
        return errorPageDone;
    }

    void errorPageDone(boolean done) {
        this.errorPageDone = done;
    }

    void addOutHeader(String name, String value) {
        if (outHeaders == null) {
            outHeaders = new ArrayList<>(2);
        }
        outHeaders.add(name);
        outHeaders.add(value);
    }

    /** The added headers as name, value, name, value ...; empty when none. */
    List<String> outHeaders() {
        return outHeaders == null ? List.of() : outHeaders;
    }

    /** The proxy failure this request is answered for, or null. */
    ProxyStatus proxyStatus() {
        return proxyStatus;
    }

    void proxyStatus(ProxyStatus status) {
        this.proxyStatus = status;
    }
}
