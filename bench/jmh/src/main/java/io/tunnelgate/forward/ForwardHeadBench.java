package io.tunnelgate.forward;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.tunnelgate.http.BenchProxy;
import io.tunnelgate.http.Request;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The per-request header work of a forwarded GET: the request head sent upstream
 * ({@link UpstreamHead}) and the response head sent back to the client ({@link ClientHead}),
 * each encoded into a pooled buffer that is released again.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
public class ForwardHeadBench {
    private BenchProxy proxy;
    private Request req;
    private ForwardConf conf;
    private String uri;
    private HttpResponse response;
    private ByteBufAllocator alloc;

    @Setup
    public void setUp() {
        proxy = BenchProxy.load();
        req = proxy.request(BenchProxy.GET_HEAD);
        conf = ((ForwardHandler) req.location().handler()).conf();
        uri = ForwardHandler.uri(req, null, false);
        alloc = proxy.connection().channel().alloc();
        response = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        response.headers()
                .add("Server", "ECAcc (nyd/D184)")
                .add("Date", "Mon, 23 Nov 2026 08:42:00 GMT")
                .add("Content-Type", "text/html; charset=UTF-8")
                .add("Content-Length", "18431")
                .add("Last-Modified", "Thu, 17 Oct 2026 07:18:26 GMT")
                .add("ETag", "\"3147526947\"")
                .add("Cache-Control", "max-age=604800")
                .add("Vary", "Accept-Encoding")
                .add("Expires", "Mon, 30 Nov 2026 08:42:00 GMT")
                .add("Connection", "keep-alive");
    }

    @TearDown
    public void tearDown() {
        proxy.close();
    }

    /** The request head to the origin ({@code Host: $proxy_host}, client headers filtered). */
    @Benchmark
    public int upstreamHead() {
        ByteBuf b = UpstreamHead.encode(alloc, req, conf, uri, "example.com", 0, conf.http11());
        int n = b.readableBytes();
        b.release();
        return n;
    }

    /** The response head to the client (Server, Date, hop-by-hop headers dropped). */
    @Benchmark
    public int clientHead() {
        ByteBuf b = ClientHead.encode(req, conf, response, false, false, false);
        int n = b.readableBytes();
        b.release();
        return n;
    }
}
