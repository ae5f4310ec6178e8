package io.tunnelgate.http;

import io.tunnelgate.log.Escape;
import io.tunnelgate.log.LineBuilder;
import io.tunnelgate.log.LogFormat;
import io.tunnelgate.script.VariableTable;
import io.tunnelgate.server.Configs;
import io.tunnelgate.tunnel.BenchTunnels;
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
 * Formatting one access-log line as {@link RequestEnd#log} does per request: the event loop's
 * {@link LineBuilder} reset, the compiled format run over the request, the line copied out for
 * the writer thread. Writing it to the file is the writer thread's and not measured here.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
public class AccessLogBench {
    /** The README's format of the module's users (docs: README.md). */
    static final String TUNNEL = "$remote_addr [$time_local] \"$request\" $status $bytes_sent "
            + "$connect_addr $proxy_connect_connect_time";

    /**
     * {@code combined-connect}: nginx's default format, a finished tunnel; {@code combined-get}:
     * the default format, a forwarded GET; {@code tunnel-connect}: {@link #TUNNEL}, a finished tunnel.
     */
    @Param({"combined-connect", "combined-get", "tunnel-connect"})
    public String line;

    private BenchProxy proxy;
    private Request req;
    private LogFormat<Request> format;
    private final LineBuilder builder = new LineBuilder();

    @Setup
    public void setUp() {
        proxy = BenchProxy.load();
        VariableTable<Request> table = Configs.variables().table();
        format = line.startsWith("tunnel")
                ? LogFormat.compile("tunnel", TUNNEL, Escape.DEFAULT, table, "bench")
                : LogFormat.compile("combined", LogFormat.COMBINED, Escape.DEFAULT, table, "bench");
        table.seal();
        if (line.endsWith("connect")) {
            req = proxy.request(BenchProxy.CONNECT_HEAD);
            BenchTunnels.established(req, "93.184.215.14:443");
            req.status(200);
            req.addSent(39 + 5_812, 0);
        } else {
            req = proxy.request(BenchProxy.GET_HEAD);
            req.status(200);
            req.addSent(18_734, 18_431);
        }
        // $request is made once per request, by whichever log reads it first
        req.requestLine();
    }

    @TearDown
    public void tearDown() {
        proxy.close();
    }

    /** One line, as bytes for the log writer. */
    @Benchmark
    public byte[] format() {
        builder.reset();
        format.format(req, builder);
        return builder.toByteArray();
    }
}
