package io.tunnelgate.tunnel;

import io.tunnelgate.testsupport.Loopback;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;

/**
 * A loopback port where a TCP connect stays pending, for connect-timeout and abort tests without dialling any
 * non-loopback address: a listener with backlog 1 that never accepts, whose accept queue is filled first. Linux
 * then drops further SYNs, so a connect neither succeeds nor fails until the connector gives up.
 */
public final class PendingConnectPort implements AutoCloseable {
    /** How long a filler connect may take before the queue counts as full. */
    private static final int FILL_TIMEOUT_MILLIS = 200;
    /** Linux queues backlog + 1 connections; a few more attempts allow for other kernels' rounding. */
    private static final int MAX_FILLERS = 8;

    private final ServerSocket listener;
    private final List<Socket> fillers;

    private PendingConnectPort(ServerSocket listener, List<Socket> fillers) {
        this.listener = listener;
        this.fillers = fillers;
    }

    /**
     * Opens the listener and connects to it until a connect no longer completes: that proves connects to
     * {@link #port()} now stay pending.
     */
    public static PendingConnectPort open() throws IOException {
        ServerSocket listener = new ServerSocket(0, 1, Loopback.IPV4);
        List<Socket> fillers = new ArrayList<>();
        try {
            for (int i = 0; i < MAX_FILLERS; i++) {
                Socket socket = new Socket();
                try {
                    socket.connect(listener.getLocalSocketAddress(), FILL_TIMEOUT_MILLIS);
                    fillers.add(socket);
                } catch (SocketTimeoutException full) {
                    socket.close();
                    return new PendingConnectPort(listener, fillers);
                }
            }
            throw new IllegalStateException("connects to a full accept queue still complete on this kernel");
        } catch (IOException | RuntimeException e) {
            closeAll(listener, fillers);
            throw e;
        }
    }

    public int port() {
        return listener.getLocalPort();
    }

    @Override
    public void close() throws IOException {
        closeAll(listener, fillers);
    }

    private static void closeAll(ServerSocket listener, List<Socket> fillers) throws IOException {
        for (Socket s : fillers) {
            s.close();
        }
        listener.close();
    }
}
