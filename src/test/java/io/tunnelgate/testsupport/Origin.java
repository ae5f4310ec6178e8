package io.tunnelgate.testsupport;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ServerSocketFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A test server on {@code 127.0.0.1}, ephemeral port, with blocking sockets and one daemon thread per
 * connection. Listening starts in the constructor; {@link #close()} closes the listener and every connection and
 * waits for their threads to finish.
 *
 * <p>Subclasses in this package define what a connection does; the socket is closed when that returns.
 */
public abstract class Origin implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Origin.class);

    private final String name;
    private final ServerSocket server;
    private final ExecutorService threads;
    private final Set<Socket> open = new HashSet<>();
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicInteger active = new AtomicInteger();
    private boolean closed;

    /**
     * Binds (but does not accept yet) with {@code factory}'s sockets; {@code receiveBufferSize > 0} sets
     * {@code SO_RCVBUF} before binding so accepted sockets inherit it and the TCP window is negotiated with it.
     */
    Origin(String name, ServerSocketFactory factory, int receiveBufferSize) {
        this.name = name;
        try {
            server = factory.createServerSocket();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            if (receiveBufferSize > 0) {
                server.setReceiveBufferSize(receiveBufferSize);
            }
            server.bind(new InetSocketAddress(Loopback.IPV4, 0), 128);
        } catch (IOException e) {
            Sockets.closeQuietly(server);
            throw new UncheckedIOException(e);
        }
        AtomicInteger threadNumber = new AtomicInteger();
        threads = Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, name + "-" + port() + "-" + threadNumber.getAndIncrement());
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Starts accepting; each constructor calls it last, so {@link #serve} sees fully initialised fields. */
    final void start() {
        threads.execute(this::acceptLoop);
    }

    /** Handles one connection on its own thread; {@code index} is its accept order from 0. */
    abstract void serve(Socket socket, int index) throws Exception;

    /** The listening port. */
    public final int port() {
        return server.getLocalPort();
    }

    /** {@code 127.0.0.1:port()}. */
    public final InetSocketAddress address() {
        return Loopback.address(port());
    }

    /** Connections accepted so far. */
    public final int accepted() {
        return accepted.get();
    }

    /** Connections accepted and not yet finished (the server still holds their sockets). */
    public final int active() {
        return active.get();
    }

    /** Closes the listener and every connection, then waits (bounded) for the connection threads to end. */
    @Override
    public void close() {
        List<Socket> toClose;
        synchronized (open) {
            closed = true;
            toClose = new ArrayList<>(open);
        }
        Sockets.closeQuietly(server);
        toClose.forEach(Sockets::closeQuietly);
        threads.shutdownNow();
        try {
            if (!threads.awaitTermination(10, TimeUnit.SECONDS)) {
                LOG.warn("{}: connection threads still running after close", this);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return name + "@" + Loopback.hostPort(port());
    }

    private void acceptLoop() {
        while (true) {
            Socket socket;
            try {
                socket = server.accept();
            } catch (IOException e) {
                if (!isClosed()) {
                    LOG.warn("{}: accept failed, no longer accepting", this, e);
                }
                return;
            }
            // active before accepted: a test that saw accepted() == n must not see active() miss connection n.
            active.incrementAndGet();
            int index = accepted.getAndIncrement();
            if (!register(socket)) {
                active.decrementAndGet();
                return;
            }
            try {
                threads.execute(() -> serveAndClose(socket, index));
            } catch (RejectedExecutionException e) {
                // close() shut the pool down between register() and here; it has closed the socket too.
                active.decrementAndGet();
                return;
            }
        }
    }

    private void serveAndClose(Socket socket, int index) {
        try {
            serve(socket, index);
        } catch (Exception e) {
            if (!isClosed()) {
                // Peers resetting or vanishing is routine in proxy tests; the subclass reports what matters.
                LOG.debug("{}: connection {} ended with {}", this, index, e.toString());
            }
        } finally {
            Sockets.closeQuietly(socket);
            synchronized (open) {
                open.remove(socket);
            }
            active.decrementAndGet();
        }
    }

    /** Tracks {@code socket} for {@link #close()}, or closes it at once if the server is already closed. */
    private boolean register(Socket socket) {
        synchronized (open) {
            if (!closed) {
                open.add(socket);
                return true;
            }
        }
        Sockets.closeQuietly(socket);
        return false;
    }

    private boolean isClosed() {
        synchronized (open) {
            return closed;
        }
    }
}
