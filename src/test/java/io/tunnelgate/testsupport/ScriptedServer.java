package io.tunnelgate.testsupport;

import javax.net.ServerSocketFactory;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;

/**
 * Hands each accepted socket to a test-supplied {@link Script} on the connection's own thread, for behaviour the
 * other origins do not have: reply late, reset, half-close, read then hold, speak a broken protocol...
 *
 * <p>The socket is closed when the script returns (plainly: with unread input Linux sends RST; for an explicit
 * reset use {@code socket.setSoLinger(true, 0)} and close it in the script). To keep a connection open until the
 * server closes, end the script with {@link #holdUntilClosed()}.
 */
public final class ScriptedServer extends Origin {

    /** What to do with one accepted connection. */
    @FunctionalInterface
    public interface Script {
        /** Runs on the connection's thread; throwing fails that connection's future. */
        void run(Socket socket) throws Exception;
    }

    private final Script script;
    private final ConnectionResults<Void> results = new ConnectionResults<>();

    /** Starts listening on {@code 127.0.0.1}, ephemeral port, running {@code script} per connection. */
    public ScriptedServer(Script script) {
        this(script, 0);
    }

    /** Same, with {@code SO_RCVBUF} set to {@code receiveBufferSize} on the accepted sockets. */
    public ScriptedServer(Script script, int receiveBufferSize) {
        super("scripted", ServerSocketFactory.getDefault(), receiveBufferSize);
        this.script = script;
        start();
    }

    /**
     * Blocks the calling script until the server is closed (its thread is interrupted then), without touching
     * the socket. Ends by throwing {@link InterruptedException}, which the server expects.
     */
    public static void holdUntilClosed() throws InterruptedException {
        new CountDownLatch(1).await();
    }

    /**
     * Completes when the script of the next connection (accept order, not yet returned here) returns; fails with
     * what it threw.
     */
    public CompletableFuture<Void> nextConnection() {
        return results.next();
    }

    /** Like {@link #nextConnection()} for connection {@code index} (0 = first accepted). */
    public CompletableFuture<Void> connection(int index) {
        return results.of(index);
    }

    @Override
    void serve(Socket socket, int index) {
        try {
            script.run(socket);
            results.complete(index, null);
        } catch (Exception | AssertionError e) {
            // The future is where the test looks; a failed assertion in a script must reach it, not a log.
            results.fail(index, e);
        }
    }
}
