package io.tunnelgate.forward;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;

/**
 * A request body on its way upstream: the pieces that arrive while there is no upstream connection
 * yet are held (the client is not read meanwhile, so they are few), the rest are written as they
 * come, in the framing the upstream head announced. Nothing is kept once written, which is why a
 * request whose body has started cannot be sent again.
 */
final class RequestBody {
    private final ArrayDeque<HttpContent> held = new ArrayDeque<>(2);
    private final boolean chunked;
    private boolean done;
    private boolean sent;

    /** @param chunked re-frame as chunked (the client sent it chunked), else pass as it is */
    RequestBody(boolean chunked) {
        this.chunked = chunked;
    }

    /** The client has sent the whole body. */
    boolean done() {
        return done;
    }

    /** Some body bytes went upstream. */
    boolean sent() {
        return sent;
    }

    /** Keeps a piece until there is a connection to write it to. */
    void hold(HttpContent content) {
        noteEnd(content);
        held.add(content);
    }

    /** Writes the held pieces (not flushed). */
    void writeHeld(Channel upstream) {
        while (!held.isEmpty()) {
            write(upstream, held.poll());
        }
    }

    /** Writes one piece (not flushed); the channel owns its buffer from here. */
    void write(Channel upstream, HttpContent content) {
        noteEnd(content);
        ByteBuf data = content.content();
        if (data.isReadable()) {
            sent = true;
            if (chunked) {
                upstream.write(Chunks.header(upstream.alloc(), data.readableBytes()));
                upstream.write(data);
                upstream.write(Chunks.crlf());
            } else {
                upstream.write(data);
            }
        } else {
            data.release();
        }
        if (content instanceof LastHttpContent last && chunked) {
            upstream.write(Chunks.last(upstream.alloc(), last.trailingHeaders()));
        }
    }

    /** A piece that goes nowhere (the exchange is over); the end is still noted. */
    void drop(HttpContent content) {
        noteEnd(content);
        ReferenceCountUtil.release(content);
    }

    /** Releases what is held (the request failed before it went upstream). */
    void release() {
        while (!held.isEmpty()) {
            ReferenceCountUtil.release(held.poll());
        }
    }

    private void noteEnd(HttpContent content) {
        if (content instanceof LastHttpContent) {
            done = true;
        }
    }
}
