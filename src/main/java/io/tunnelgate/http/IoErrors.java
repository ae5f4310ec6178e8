package io.tunnelgate.http;

import io.netty.channel.unix.Errors;
import io.tunnelgate.log.LogLevel;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logging of connection-level exceptions: a peer resetting or vanishing is normal for a proxy and
 * is only worth a debug line; anything else is a bug or a resource problem and goes to the error
 * log.
 */
public final class IoErrors {
    private static final Logger LOG = LoggerFactory.getLogger(IoErrors.class);

    private IoErrors() {
    }

    /** True for the I/O errors peers cause (reset, broken pipe, timed out). */
    public static boolean isExpected(Throwable cause) {
        return cause instanceof IOException || cause instanceof Errors.NativeIoException;
    }

    /**
     * Logs an exception from a connection's pipeline.
     *
     * @param req the request in progress, or null
     */
    public static void log(ClientConnection conn, Request req, Throwable cause) {
        if (isExpected(cause)) {
            LOG.debug("*{} {}", conn.id(), cause.toString());
            return;
        }
        if (req != null) {
            req.log(LogLevel.ALERT, "unexpected error: " + cause);
        }
        LOG.error("*{} unexpected error", conn.id(), cause);
    }
}
