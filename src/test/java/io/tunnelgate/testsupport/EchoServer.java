package io.tunnelgate.testsupport;

import javax.net.ServerSocketFactory;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Echoes every byte back. Half-close aware: when the client shuts down its output, the server finishes echoing
 * and then shuts down its own output (FIN), so a client can send, {@code shutdownOutput()}, and read to EOF.
 *
 * <p>Echoing is blocking: a client that sends a lot must read concurrently, or both directions fill up.
 */
public final class EchoServer extends Origin {

    private final AtomicLong echoed = new AtomicLong();

    /** Starts listening on {@code 127.0.0.1}, ephemeral port. */
    public EchoServer() {
        super("echo", ServerSocketFactory.getDefault(), 0);
        start();
    }

    /** Bytes echoed so far, over all connections. */
    public long echoed() {
        return echoed.get();
    }

    @Override
    void serve(Socket socket, int index) throws Exception {
        InputStream in = socket.getInputStream();
        OutputStream out = socket.getOutputStream();
        byte[] buf = new byte[64 * 1024];
        for (int n; (n = in.read(buf)) != -1; ) {
            out.write(buf, 0, n);
            echoed.addAndGet(n);
        }
        socket.shutdownOutput();
    }
}
