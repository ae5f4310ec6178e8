package io.tunnelgate.http;

/**
 * The cause of the failed {@link io.netty.handler.codec.http.LastHttpContent} a {@link BodySink}
 * receives when a chunked request body grew past {@code client_max_body_size}: the sink answers
 * 413 (if it has not answered yet) and the connection closes. Control flow, so no stack trace.
 */
public final class BodyTooLargeException extends Exception {
    private static final long serialVersionUID = 1L;
    private final long bytes;

    /** @param bytes how many body bytes had arrived, counting the piece that passed the limit */
    public BodyTooLargeException(long bytes) {
        super("request body larger than client_max_body_size (" + bytes + " bytes)", null, false, false);
        this.bytes = bytes;
    }

    /** Body bytes received when the limit was passed, counting the piece that passed it. */
    public long bytes() {
        return bytes;
    }
}
