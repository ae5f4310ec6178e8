package io.tunnelgate.testsupport;

import javax.net.ServerSocketFactory;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A tiny HTTP/1.1 server: answers every request with what its handler returns (by default {@code 200} with body
 * {@code hello}), with keep-alive, {@code Content-Length} and chunked request bodies, {@code Expect:
 * 100-continue}, and records every request it received for assertions.
 *
 * <p>Keep-alive follows the request (HTTP/1.1 unless {@code Connection: close}; HTTP/1.0 only with
 * {@code Connection: keep-alive}); a response with a {@code Connection: close} header closes too. The handler
 * runs on the connections' threads, possibly concurrently, so it must be thread-safe; if it throws, the client
 * gets a {@code 500} naming the exception.
 */
public class HttpOrigin extends Origin {

    private static final byte[] CONTINUE = "HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);

    private final Function<RecordedRequest, OriginResponse> handler;
    private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
    private final ConnectionResults<RecordedRequest> bySequence = new ConnectionResults<>();
    private final AtomicInteger sequence = new AtomicInteger();

    /** Starts listening on {@code 127.0.0.1}, ephemeral port, answering {@code OriginResponse.ok("hello")}. */
    public HttpOrigin() {
        this(request -> OriginResponse.ok("hello"));
    }

    /** Starts listening on {@code 127.0.0.1}, ephemeral port, answering what {@code handler} returns. */
    public HttpOrigin(Function<RecordedRequest, OriginResponse> handler) {
        this("http", ServerSocketFactory.getDefault(), handler);
        start();
    }

    /** For {@link HttpsOrigin}: binds with {@code factory}; the subclass starts it. */
    HttpOrigin(String name, ServerSocketFactory factory, Function<RecordedRequest, OriginResponse> handler) {
        super(name, factory, 0);
        this.handler = handler;
    }

    /** Every request received so far, in arrival order. */
    public List<RecordedRequest> requests() {
        return List.copyOf(requests);
    }

    /**
     * The next request (arrival order, not yet returned here), waiting up to 10 s for it; throws
     * {@link AssertionError} if none arrives.
     */
    public RecordedRequest nextRequest() {
        try {
            return bySequence.next().get(10, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError(this + ": no request within 10 s; received " + requests.size());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        } catch (ExecutionException e) {
            throw new AssertionError(e.getCause());
        }
    }

    @Override
    final void serve(Socket socket, int index) throws IOException {
        InputStream in = new BufferedInputStream(socket.getInputStream());
        OutputStream out = new BufferedOutputStream(socket.getOutputStream());
        boolean open = true;
        while (open) {
            String head = HttpWire.readHead(in);
            if (head == null) {
                break;
            }
            if (HttpWire.hasToken(head, "Expect", "100-continue")) {
                out.write(CONTINUE);
                out.flush();
            }
            RecordedRequest request = new RecordedRequest(head, readBody(in, head));
            requests.add(request);
            bySequence.complete(sequence.getAndIncrement(), request);
            OriginResponse response = respond(request);
            open = keepAlive(request, response);
            response.writeTo(out, request, !open);
            out.flush();
        }
        Sockets.closeGracefully(socket);
    }

    private OriginResponse respond(RecordedRequest request) {
        try {
            return handler.apply(request);
        } catch (RuntimeException | AssertionError e) {
            return OriginResponse.of(500, "handler failed: " + e).withHeader("Connection", "close");
        }
    }

    private static byte[] readBody(InputStream in, String head) throws IOException {
        if (HttpWire.isChunked(head)) {
            ByteArrayOutputStream decoded = new ByteArrayOutputStream();
            HttpWire.readChunked(in, null, decoded);
            return decoded.toByteArray();
        }
        long length = HttpWire.contentLength(head);
        return length <= 0 ? new byte[0] : HttpWire.readExactly(in, Math.toIntExact(length));
    }

    private static boolean keepAlive(RecordedRequest request, OriginResponse response) {
        if (response.hasConnectionClose()) {
            return false;
        }
        if ("HTTP/1.1".equals(request.version())) {
            return !HttpWire.hasToken(request.head(), "Connection", "close");
        }
        return HttpWire.hasToken(request.head(), "Connection", "keep-alive");
    }
}
