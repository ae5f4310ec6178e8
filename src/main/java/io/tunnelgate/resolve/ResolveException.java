package io.tunnelgate.resolve;

/**
 * A failed lookup, with nginx's resolver error code and text ({@code ngx_resolver_strerror}).
 * {@link #getMessage()} is {@code "<code>: <text>"}, ready for
 * {@code "<name> could not be resolved (<message>)"}.
 *
 * <p>DNS failures are routine for a proxy, so the exception carries no stack trace.
 */
public final class ResolveException extends Exception {

    private static final long serialVersionUID = 1L;

    /** FORMERR: the server could not read the query. */
    public static final int FORMAT_ERROR = 1;
    /** SERVFAIL, and Tunnelgate's "no name server configured" for {@code resolver system}. */
    public static final int SERVER_FAILURE = 2;
    /** NXDOMAIN, or an answer without usable records. */
    public static final int HOST_NOT_FOUND = 3;
    /** NOTIMP. */
    public static final int UNIMPLEMENTED = 4;
    /** REFUSED. */
    public static final int REFUSED = 5;
    /** No answer within {@code resolver_timeout} (nginx's NGX_RESOLVE_TIMEDOUT = ETIMEDOUT). */
    public static final int TIMED_OUT = 110;

    private final int code;

    /** A failure with the given nginx resolver code. */
    public ResolveException(int code) {
        super(code + ": " + textOf(code), null, false, false);
        this.code = code;
    }

    /** nginx's resolver code: a DNS RCODE 1-5, or 110 for a timeout. */
    public int code() {
        return code;
    }

    /** nginx's text for {@link #code()}. */
    public String text() {
        return textOf(code);
    }

    /** nginx's {@code ngx_resolver_strerror()}. */
    public static String textOf(int code) {
        return switch (code) {
            case FORMAT_ERROR -> "Format error";
            case SERVER_FAILURE -> "Server failure";
            case HOST_NOT_FOUND -> "Host not found";
            case UNIMPLEMENTED -> "Unimplemented";
            case REFUSED -> "Operation refused";
            case TIMED_OUT -> "Operation timed out";
            default -> "Unknown error";
        };
    }
}
