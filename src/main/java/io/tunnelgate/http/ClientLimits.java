package io.tunnelgate.http;

/**
 * How long and how much a client may take to send a request head, and how long an idle
 * keep-alive connection stays open (nginx's client_header_* and keepalive_timeout).
 *
 * @param headerTimeoutMillis {@code client_header_timeout}
 * @param keepaliveTimeoutMillis {@code keepalive_timeout}; 0 disables keep-alive
 * @param headerBufferSize {@code client_header_buffer_size}: the first read buffer
 * @param largeBufferCount {@code large_client_header_buffers} number
 * @param largeBufferSize {@code large_client_header_buffers} size: the longest request line or
 *     header line accepted
 */
public record ClientLimits(long headerTimeoutMillis, long keepaliveTimeoutMillis, int headerBufferSize,
                           int largeBufferCount, int largeBufferSize) {
}
