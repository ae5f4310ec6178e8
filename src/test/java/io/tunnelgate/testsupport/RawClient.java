package io.tunnelgate.testsupport;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A plain TCP client for byte-exact HTTP and tunnel tests. Reads go through one buffered stream that this class
 * keeps, and head parsing reads byte by byte, so no method consumes bytes that a later call should see. Every
 * read is bounded by the read timeout ({@link #DEFAULT_TIMEOUT} unless changed with {@link #timeout}).
 *
 * <p>Text is sent and returned as ISO-8859-1 (one char per byte).
 */
public final class RawClient implements AutoCloseable {

    /** Read timeout of a new client. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    private RawClient(Socket socket) throws IOException {
        this.socket = socket;
        socket.setSoTimeout(Math.toIntExact(DEFAULT_TIMEOUT.toMillis()));
        socket.setTcpNoDelay(true);
        this.in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
        this.out = socket.getOutputStream();
    }

    /** Connects to {@code address} (a loopback address in tests). */
    public static RawClient connect(InetSocketAddress address) throws IOException {
        Socket socket = new Socket();
        try {
            socket.connect(address, Math.toIntExact(DEFAULT_TIMEOUT.toMillis()));
            return new RawClient(socket);
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    /** Connects to {@code 127.0.0.1:port}. */
    public static RawClient connect(int port) throws IOException {
        return connect(Loopback.address(port));
    }

    /** Sets the read timeout for later reads. */
    public RawClient timeout(Duration timeout) throws SocketException {
        socket.setSoTimeout(Math.toIntExact(timeout.toMillis()));
        return this;
    }

    /** Sends {@code text} as ISO-8859-1 bytes. */
    public RawClient send(String text) throws IOException {
        return send(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** Sends {@code data}. */
    public RawClient send(byte[] data) throws IOException {
        out.write(data);
        return this;
    }

    /** Sends the {@link Payload} stream {@code (size, seed)}; blocks until the kernel took it all. */
    public RawClient sendPayload(long size, long seed) throws IOException {
        Payload.writeTo(out, size, seed);
        return this;
    }

    /**
     * Sends {@code CONNECT authority HTTP/1.1} with a matching {@code Host} and returns the response head (the
     * tunnel's first bytes, if any, stay unread).
     */
    public String requestTunnel(String authority) throws IOException {
        send("CONNECT " + authority + " HTTP/1.1\r\nHost: " + authority + "\r\n\r\n");
        return readHead();
    }

    /**
     * Reads up to and including the first empty line ({@code \r\n\r\n} or {@code \n\n}) and returns it; nothing
     * after it is consumed. Throws {@link EOFException} if the peer closes first.
     */
    public String readHead() throws IOException {
        String head = HttpWire.readHead(in);
        if (head == null) {
            throw new EOFException("connection closed before any response byte");
        }
        return head;
    }

    /**
     * Reads a response head and its body, returned together as text: a {@code Content-Length} body, or a chunked
     * body exactly as on the wire (chunk sizes included). Without either, the body is taken as empty (e.g. a
     * CONNECT {@code 200}); read a close-delimited body with {@link #readToEof()}. Not for HEAD responses: use
     * {@link #readHead()}.
     */
    public String readResponse() throws IOException {
        String head = readHead();
        if (HttpWire.isChunked(head)) {
            ByteArrayOutputStream raw = new ByteArrayOutputStream();
            HttpWire.readChunked(in, raw, null);
            return head + raw.toString(StandardCharsets.ISO_8859_1);
        }
        long length = HttpWire.contentLength(head);
        if (length <= 0) {
            return head;
        }
        return head + new String(readExactly(Math.toIntExact(length)), StandardCharsets.ISO_8859_1);
    }

    /** Reads exactly {@code n} bytes, or throws {@link EOFException} saying how many arrived. */
    public byte[] readExactly(int n) throws IOException {
        return HttpWire.readExactly(in, n);
    }

    /** Reads everything until the peer closes. */
    public byte[] readToEof() throws IOException {
        return in.readAllBytes();
    }

    /** Reads exactly {@code n} bytes, returning their count and SHA-256 (without keeping them). */
    public Received digest(long n) throws IOException {
        Received received = Payload.digest(in, n, chunk -> { });
        if (received.bytes() < n) {
            throw new EOFException("expected " + n + " bytes, got " + received.bytes() + " before EOF");
        }
        return received;
    }

    /** Reads until the peer closes, returning the count and SHA-256 (without keeping the bytes). */
    public Received digestToEof() throws IOException {
        return Payload.digest(in);
    }

    /**
     * Waits (up to the read timeout) for the peer's orderly close (FIN): {@code true} if it came, {@code false}
     * on timeout. Unexpected data fails with an {@link AssertionError} showing it; a reset throws
     * {@link SocketException} (see {@link #awaitClosed()}).
     */
    public boolean awaitEof() throws IOException {
        try {
            int b = in.read();
            if (b == -1) {
                return true;
            }
            throw unexpectedData(b);
        } catch (SocketTimeoutException e) {
            return false;
        }
    }

    /** Like {@link #awaitEof()}, but a reset (RST) by the peer also counts as closed. */
    public boolean awaitClosed() throws IOException {
        try {
            return awaitEof();
        } catch (SocketException e) {
            if (String.valueOf(e.getMessage()).contains("reset")) {
                return true;
            }
            throw e;
        }
    }

    /** Half-closes: sends FIN, keeps reading possible. */
    public RawClient shutdownOutput() throws IOException {
        socket.shutdownOutput();
        return this;
    }

    /** Closes abortively: {@code SO_LINGER 0}, so the peer gets RST instead of FIN. */
    public void reset() throws IOException {
        socket.setSoLinger(true, 0);
        socket.close();
    }

    /** The socket, for options and addresses. Read through {@link #input()}, not the socket's own stream. */
    public Socket socket() {
        return socket;
    }

    /** The buffered stream all reads of this client go through. */
    public InputStream input() {
        return in;
    }

    /** The socket's (unbuffered) output stream. */
    public OutputStream output() {
        return out;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    /** The status code of a response (or head) text: {@code "HTTP/1.1 407 ..."} gives 407. */
    public static int status(String response) {
        String[] parts = HttpWire.startLine(response).split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
            throw new IllegalArgumentException("not an HTTP response: " + HttpWire.printable(response));
        }
        return Integer.parseInt(parts[1]);
    }

    private AssertionError unexpectedData(int first) throws IOException {
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        data.write(first);
        int more = Math.min(in.available(), 4096);
        data.write(in.readNBytes(more));
        return new AssertionError("expected EOF but received " + data.size() + "+ bytes: "
                + HttpWire.printable(data.toString(StandardCharsets.ISO_8859_1)));
    }
}
