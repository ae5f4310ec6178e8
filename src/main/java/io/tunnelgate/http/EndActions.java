package io.tunnelgate.http;

import io.netty.channel.Channel;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.GenericFutureListener;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@link Request#onEnd} actions of one request (nginx's request-pool cleanups), and the watch
 * on its connection's close that ends the request when the client goes away before it is logged.
 *
 * <p>Created by a request's first {@code onEnd}: most requests have no action (only features such
 * as {@code limit_conn} add one), and they pay neither for the list nor for the close listener.
 * The object is itself that listener, so watching costs no further allocation.
 */
final class EndActions implements GenericFutureListener<Future<Void>> {
    private final Request req;
    private final List<Runnable> actions = new ArrayList<>(2);

    /** Holds {@code first}; the request assigns this object before {@link #watch}, which may end it at once. */
    EndActions(Request req, Runnable first) {
        this.req = req;
        actions.add(first);
    }

    /** Starts watching {@code ch}: a close ends the request (at once when the channel is closed already). */
    void watch(Channel ch) {
        ch.closeFuture().addListener(this);
    }

    void add(Runnable action) {
        actions.add(action);
    }

    /** Stops watching {@code ch} and runs the actions in the order they were added. */
    void run(Channel ch) {
        ch.closeFuture().removeListener(this);
        actions.forEach(Runnable::run);
    }

    @Override
    public void operationComplete(Future<Void> closed) {
        req.end();
    }
}
