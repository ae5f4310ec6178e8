package io.tunnelgate.http;

import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;

/**
 * Decoded messages that arrived while the connection was still busy with the request before them
 * (its content handler waiting for the file system, a file being sent, a body being streamed):
 * kept in order, with reading stopped, until {@link FrontendHandler} can take them. nginx reads
 * the next request only after finishing one; parking keeps that order and reads no more than the
 * decoder already produced.
 *
 * <p>One per connection, confined to its event loop, holding what were the front's parking
 * fields; the queue itself is made only when a message is parked, which most connections never do.
 */
final class ParkedMessages {
    /** Null while nothing is parked. */
    private ArrayDeque<Object> messages;
    /** A message of a later request is parked: what arrives now is not the current request's. */
    private boolean headParked;
    private boolean replaying;

    /** Whether anything is parked. */
    boolean any() {
        return messages != null;
    }

    /** Whether the head of a later request is parked (then the current request's body is all parked too). */
    boolean headParked() {
        return headParked;
    }

    /** Keeps {@code msg} and stops reading more from {@code ch} meanwhile. */
    void park(Object msg, Channel ch) {
        if (messages == null) {
            messages = new ArrayDeque<>(4);
        }
        messages.add(msg);
        headParked |= msg instanceof HttpRequest;
        ch.config().setAutoRead(false);
    }

    /**
     * A new request starts: counts what of its body is parked already (up to the next parked
     * head) into {@code body}, and notes whether that next head is parked.
     */
    void startRequest(BodyChecks body) {
        headParked = false;
        if (messages == null) {
            return;
        }
        for (Object m : messages) {
            if (m instanceof HttpRequest) {
                headParked = true;
                return;
            }
            if (m instanceof HttpContent c) {
                body.countParked(c);
            }
        }
    }

    /**
     * Hands parked messages to {@code front} in order for as long as it accepts them now; does
     * nothing when called again from within (a message handed over may end a request).
     *
     * @return true when this emptied the queue: reading may resume
     */
    boolean replay(FrontendHandler front) {
        if (messages == null || replaying) {
            return false;
        }
        replaying = true;
        try {
            // a CONNECT among them may take the connection over, which releases the rest
            while (messages != null && !messages.isEmpty() && front.acceptsNow(messages.peek())) {
                front.dispatch(messages.poll());
            }
        } finally {
            replaying = false;
        }
        if (messages != null && messages.isEmpty()) {
            messages = null;
            return true;
        }
        return false;
    }

    /** Releases whatever is parked: the connection will not take it (closed, or now a tunnel). */
    void release() {
        if (messages != null) {
            messages.forEach(ReferenceCountUtil::release);
            messages = null;
        }
    }
}
