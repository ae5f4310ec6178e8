package io.tunnelgate.testsupport;

import javax.net.ServerSocketFactory;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;

/**
 * On every connection writes {@link #size()} deterministic pseudo-random bytes ({@link Payload}), then ends the
 * connection as its {@link Ending} says. Compare what a client read with {@link #expectedSha256()}.
 *
 * <p>The server does not read while sending; a client should not send data it needs delivered.
 */
public final class SourceServer extends Origin {

    /** How a connection ends once the payload is written. */
    public enum Ending {
        /** Shut down output (FIN after the data) and close. */
        CLOSE,
        /** Shut down output, then keep reading (discarding) until the client's EOF, then close. */
        HALF_CLOSE
    }

    private final long size;
    private final long seed;
    private final Ending ending;
    private final ConnectionResults<Long> results = new ConnectionResults<>();
    private volatile String expectedSha256;

    /** {@code size} bytes with {@link Payload#DEFAULT_SEED}, then {@link Ending#CLOSE}. */
    public SourceServer(long size) {
        this(size, Ending.CLOSE, Payload.DEFAULT_SEED);
    }

    /** {@code size} bytes with {@link Payload#DEFAULT_SEED}, then {@code ending}. */
    public SourceServer(long size, Ending ending) {
        this(size, ending, Payload.DEFAULT_SEED);
    }

    /** {@code size} bytes of the payload for {@code seed}, then {@code ending}. */
    public SourceServer(long size, Ending ending, long seed) {
        super("source", ServerSocketFactory.getDefault(), 0);
        this.size = size;
        this.seed = seed;
        this.ending = ending;
        start();
    }

    /** Bytes written per connection. */
    public long size() {
        return size;
    }

    /** The payload seed (see {@link Payload}). */
    public long seed() {
        return seed;
    }

    /** Hex SHA-256 of the bytes each connection receives (computed once, on first call). */
    public String expectedSha256() {
        String sha = expectedSha256;
        if (sha == null) {
            sha = Payload.sha256(size, seed);
            expectedSha256 = sha;
        }
        return sha;
    }

    /**
     * Completes with the bytes written once the next connection (accept order, not yet returned here) has ended
     * as configured (for {@link Ending#HALF_CLOSE}: after the client's EOF); fails on an I/O error.
     */
    public CompletableFuture<Long> nextConnection() {
        return results.next();
    }

    /** Like {@link #nextConnection()} for connection {@code index} (0 = first accepted). */
    public CompletableFuture<Long> connection(int index) {
        return results.of(index);
    }

    @Override
    void serve(Socket socket, int index) throws IOException {
        try {
            Payload.writeTo(socket.getOutputStream(), size, seed);
            socket.shutdownOutput();
            if (ending == Ending.HALF_CLOSE) {
                discardToEof(socket.getInputStream());
            }
            results.complete(index, size);
        } catch (IOException e) {
            results.fail(index, e);
            throw e;
        }
        Sockets.closeGracefully(socket);
    }

    private static void discardToEof(InputStream in) throws IOException {
        byte[] buf = new byte[8192];
        while (in.read(buf) != -1) {
            // Only the EOF matters here.
        }
    }
}
