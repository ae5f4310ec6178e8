package io.tunnelgate.http;

import io.netty.buffer.ByteBuf;
import io.netty.channel.FileRegion;

/**
 * A response with a file body: the encoded head and the region of the file to send after it.
 *
 * @param head status line and headers; the writer takes ownership
 * @param body the bytes of the file to send; the writer takes ownership (and so closes the file)
 * @param status the status for {@code $status}
 * @param close whether the connection closes after it
 */
public record FileResponse(ByteBuf head, FileRegion body, int status, boolean close) {
}
