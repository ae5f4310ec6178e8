package io.tunnelgate.http;

/**
 * A request nginx would refuse while reading its head: the status to answer with and the
 * info-level error-log message nginx writes for it. Carries no stack trace: it is control flow.
 */
final class BadRequestException extends Exception {
    private static final long serialVersionUID = 1L;
    private final int status;

    BadRequestException(int status, String logMessage) {
        super(logMessage, null, false, false);
        this.status = status;
    }

    int status() {
        return status;
    }
}
