package io.tunnelgate.http;

import io.netty.buffer.ByteBuf;

/**
 * A response Tunnelgate generated itself, already encoded: the bytes to write and what the access
 * log needs to know about them.
 *
 * @param bytes the whole response (status line, headers, body); the writer takes ownership
 * @param status the status for {@code $status}
 * @param bodyLength body bytes included ({@code $body_bytes_sent})
 * @param close whether the connection closes after it ({@code Connection: close})
 */
public record Response(ByteBuf bytes, int status, int bodyLength, boolean close) {
}
