package io.tunnelgate.forward;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** HTTP/1.1 chunked framing around body buffers that are written as they are (not copied). */
final class Chunks {
    private static final byte[] CRLF = {'\r', '\n'};

    private Chunks() {
    }

    /** {@code size-in-hex CRLF}, written before a chunk's data. */
    static ByteBuf header(ByteBufAllocator alloc, int size) {
        ByteBuf b = alloc.buffer(10);
        b.writeCharSequence(Integer.toHexString(size), StandardCharsets.US_ASCII);
        return b.writeBytes(CRLF);
    }

    /** The {@code CRLF} after a chunk's data (wraps a shared constant; nothing is allocated but the wrapper). */
    static ByteBuf crlf() {
        return Unpooled.wrappedBuffer(CRLF);
    }

    /** The last chunk, with the trailer fields, and the final {@code CRLF}. */
    static ByteBuf last(ByteBufAllocator alloc, HttpHeaders trailers) {
        ByteBuf b = alloc.buffer(trailers.isEmpty() ? 5 : 128);
        b.writeByte('0').writeBytes(CRLF);
        for (Map.Entry<String, String> t : trailers) {
            UpstreamHead.header(b, t.getKey(), t.getValue());
        }
        return b.writeBytes(CRLF);
    }
}
