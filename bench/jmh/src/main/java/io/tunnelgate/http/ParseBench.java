package io.tunnelgate.http;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpRequest;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Parsing a request head, in the pieces the front runs per request: the decoder alone, the
 * request-target alone, the validator alone, and everything from bytes to a request ready for
 * its content handler. Each call is one more request on the same kept-alive connection.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
public class ParseBench {
    /** {@code connect}: {@link BenchProxy#CONNECT_HEAD}; {@code get}: {@link BenchProxy#GET_HEAD}. */
    @Param({"connect", "get"})
    public String request;

    private BenchProxy proxy;
    private ByteBuf wire;
    private HttpRequest decoded;
    private ClientLimits limits;
    private String target;
    private boolean connect;

    @Setup
    public void setUp() {
        connect = request.equals("connect");
        String head = connect ? BenchProxy.CONNECT_HEAD : BenchProxy.GET_HEAD;
        proxy = BenchProxy.load();
        wire = BenchProxy.wireBytes(head);
        decoded = proxy.decode(wire);
        // the benchmark is void if the head is refused anywhere on its way
        proxy.prepare(decoded);
        limits = proxy.connection().hosts().defaultServer().timeouts();
        target = decoded.uri();
    }

    @TearDown
    public void tearDown() {
        wire.release();
        proxy.close();
    }

    /** Bytes to a decoded head: Netty's decoder with nginx's limits ({@link RequestDecoder}). */
    @Benchmark
    public HttpRequest decode() {
        return proxy.decode(wire);
    }

    /** The request-target of the request line ({@link TargetParser}). */
    @Benchmark
    public RequestTarget target() throws BadRequestException {
        return connect ? TargetParser.connect(target) : TargetParser.uri(target);
    }

    /** nginx's checks of a decoded head, target included ({@link RequestValidator}). */
    @Benchmark
    public RequestTarget validate() throws BadRequestException {
        return RequestValidator.validate(decoded, limits);
    }

    /**
     * Bytes to a request ready for its content handler: decode, {@link Request}, post-read
     * (validation, server, keep-alive, the CONNECT context) and the location search.
     */
    @Benchmark
    public Request request() {
        return proxy.prepare(proxy.decode(wire));
    }
}
