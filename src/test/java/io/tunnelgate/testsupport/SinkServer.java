package io.tunnelgate.testsupport;

import javax.net.ServerSocketFactory;
import java.io.IOException;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Reads every connection to EOF, hashing what it reads, then closes it. Each connection's outcome (byte count
 * and SHA-256) is a future: {@link #nextConnection()} in accept order, or {@link #connection(int)}.
 */
public final class SinkServer extends Origin {

    private final ConnectionResults<Received> results = new ConnectionResults<>();
    private final AtomicLong received = new AtomicLong();

    /** Starts listening on {@code 127.0.0.1}, ephemeral port. */
    public SinkServer() {
        super("sink", ServerSocketFactory.getDefault(), 0);
        start();
    }

    /**
     * What the next connection (in accept order, not yet returned by this method) delivers up to EOF; fails if
     * it ends with an error (e.g. a reset). Wait with a timeout: {@code get(10, SECONDS)}.
     */
    public CompletableFuture<Received> nextConnection() {
        return results.next();
    }

    /** What connection {@code index} (0 = first accepted) delivers up to EOF. */
    public CompletableFuture<Received> connection(int index) {
        return results.of(index);
    }

    /** Bytes received so far over all connections, updated as they arrive (for progress/backpressure checks). */
    public long received() {
        return received.get();
    }

    @Override
    void serve(Socket socket, int index) throws IOException {
        try {
            results.complete(index, Payload.digest(socket.getInputStream(), Long.MAX_VALUE, received::addAndGet));
        } catch (IOException e) {
            results.fail(index, e);
            throw e;
        }
        Sockets.closeGracefully(socket);
    }
}
