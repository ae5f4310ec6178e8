package io.tunnelgate.forward;

import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.codec.TooLongFrameException;
import io.tunnelgate.http.ProxyError;
import io.tunnelgate.http.ProxyStatus;
import io.tunnelgate.tunnel.ConnectErrors;

/**
 * How one attempt at an upstream failed before anything reached the client: the
 * {@code proxy_next_upstream} condition it counts as, the status the client gets if no other
 * attempt follows, its {@code Proxy-Status}, and nginx's error-log line.
 *
 * @param why the next-upstream condition
 * @param status 502 or 504
 * @param proxyStatus the RFC 9209 error the client sees when this failure is the answer
 * @param message the error-log line
 */
record AttemptFailure(NextUpstream.Condition why, int status, ProxyStatus proxyStatus, String message) {
    private static final String READING_HEAD = " while reading response header from upstream";

    /** The TCP connect failed or timed out. */
    static AttemptFailure connect(Throwable cause) {
        if (cause instanceof ConnectTimeoutException) {
            return new AttemptFailure(NextUpstream.Condition.TIMEOUT, 504,
                    ProxyStatus.of(ProxyError.CONNECTION_TIMEOUT, "upstream connect timed out"),
                    "upstream timed out (110: Connection timed out) while connecting to upstream");
        }
        String failed = "connect() failed (" + ConnectErrors.describe(cause) + ")";
        return new AttemptFailure(NextUpstream.Condition.ERROR, 502,
                ProxyStatus.of(ConnectErrors.proxyError(cause), failed), failed + " while connecting to upstream");
    }

    /**
     * The upstream closed, or its connection failed ({@code cause} not null), before the response
     * head was complete; {@code received} bytes of it had arrived.
     */
    static AttemptFailure beforeHead(Throwable cause, long received) {
        String what = cause == null ? "upstream prematurely closed connection"
                : "recv() failed (" + ConnectErrors.describe(cause) + ")";
        ProxyError error = received > 0 ? ProxyError.HTTP_RESPONSE_INCOMPLETE : ProxyError.CONNECTION_TERMINATED;
        return new AttemptFailure(NextUpstream.Condition.ERROR, 502, ProxyStatus.of(error, what), what + READING_HEAD);
    }

    /** The response head could not be read: too large for {@code proxy_buffer_size}, or malformed. */
    static AttemptFailure badHead(Throwable cause) {
        boolean tooBig = cause instanceof TooLongFrameException;
        String what = "upstream sent " + (tooBig ? "too big header" : "invalid header");
        ProxyError error = tooBig ? ProxyError.HTTP_RESPONSE_HEADER_SECTION_SIZE : ProxyError.HTTP_PROTOCOL_ERROR;
        return new AttemptFailure(NextUpstream.Condition.INVALID_HEADER, 502, ProxyStatus.of(error, what),
                what + READING_HEAD);
    }

    /**
     * No response head within {@code proxy_read_timeout}, or the upstream took none of the request
     * body for {@code proxy_send_timeout} ({@code sending}).
     */
    static AttemptFailure timedOut(boolean sending) {
        ProxyError error = sending ? ProxyError.CONNECTION_WRITE_TIMEOUT : ProxyError.CONNECTION_READ_TIMEOUT;
        return new AttemptFailure(NextUpstream.Condition.TIMEOUT, 504, ProxyStatus.of(error, "upstream timed out"),
                "upstream timed out (110: Connection timed out)" + READING_HEAD);
    }
}
