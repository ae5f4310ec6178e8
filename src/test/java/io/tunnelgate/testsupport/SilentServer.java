package io.tunnelgate.testsupport;

import javax.net.ServerSocketFactory;
import java.io.IOException;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;

/**
 * Accepts and then neither reads nor writes, with a tiny receive buffer, so a peer writing to it stalls quickly:
 * the origin for slow-reader and backpressure tests. {@link #startReading()} later turns every connection (held
 * and future) into a sink, so a test can check that everything that was held back still arrives intact.
 */
public final class SilentServer extends Origin {

    /** Requested {@code SO_RCVBUF}; the kernel rounds it (Linux doubles it and applies a minimum). */
    public static final int DEFAULT_RECEIVE_BUFFER = 4096;

    private final CountDownLatch reading = new CountDownLatch(1);
    private final ConnectionResults<Received> results = new ConnectionResults<>();
    private final int receiveBufferSize;

    /** Starts listening with {@link #DEFAULT_RECEIVE_BUFFER}. */
    public SilentServer() {
        this(DEFAULT_RECEIVE_BUFFER);
    }

    /** Starts listening with {@code SO_RCVBUF = receiveBufferSize} on accepted sockets. */
    public SilentServer(int receiveBufferSize) {
        super("silent", ServerSocketFactory.getDefault(), receiveBufferSize);
        this.receiveBufferSize = receiveBufferSize;
        start();
    }

    /** The {@code SO_RCVBUF} requested for accepted sockets. */
    public int receiveBufferSize() {
        return receiveBufferSize;
    }

    /** From now on every connection reads to EOF like a {@link SinkServer}; the results appear in the futures. */
    public void startReading() {
        reading.countDown();
    }

    /**
     * What the next connection (accept order, not yet returned here) delivered up to EOF, once reading was
     * started; fails on an I/O error. Never completes while the server stays silent.
     */
    public CompletableFuture<Received> nextConnection() {
        return results.next();
    }

    /** Like {@link #nextConnection()} for connection {@code index} (0 = first accepted). */
    public CompletableFuture<Received> connection(int index) {
        return results.of(index);
    }

    @Override
    void serve(Socket socket, int index) throws InterruptedException, IOException {
        reading.await();
        try {
            results.complete(index, Payload.digest(socket.getInputStream()));
        } catch (IOException e) {
            results.fail(index, e);
            throw e;
        }
        Sockets.closeGracefully(socket);
    }
}
