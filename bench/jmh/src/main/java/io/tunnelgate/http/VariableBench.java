package io.tunnelgate.http;

import io.tunnelgate.script.ComplexValue;
import io.tunnelgate.script.MapVariable;
import io.tunnelgate.script.Regex;
import io.tunnelgate.script.VariableTable;
import io.tunnelgate.server.Configs;
import io.tunnelgate.tunnel.BenchTunnels;
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
 * Evaluating compiled complex values and {@code map}s for one request. Compiling is config-time
 * and happens in the set-up, against the proxy's own variable table ({@link Configs#variables}).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
public class VariableBench {
    private BenchProxy proxy;
    private Request connect;
    private Request get;
    private ComplexValue<Request> hostUri;
    private ComplexValue<Request> connectHostPort;
    private ComplexValue<Request> userAgent;
    private MapVariable<Request> hostMap;
    private MapVariable<Request> agentMap;

    @Setup
    public void setUp() {
        proxy = BenchProxy.load();
        connect = proxy.request(BenchProxy.CONNECT_HEAD);
        BenchTunnels.established(connect, "93.184.215.14:443");
        get = proxy.request(BenchProxy.GET_HEAD);

        VariableTable<Request> table = Configs.variables().table();
        hostUri = ComplexValue.compile("$host:$request_uri", table, "bench");
        connectHostPort = ComplexValue.compile("$connect_host:$connect_port", table, "bench");
        userAgent = ComplexValue.compile("$http_user_agent", table, "bench");
        hostMap = hostMap(table);
        agentMap = agentMap(table);
        table.seal();
        check(hostUri.evaluate(get), "example.com:/articles/2024/index.html?lang=en&page=2");
        check(connectHostPort.evaluate(connect), "example.com:443");
        check(hostMap.get(connect), "internal");
        check(agentMap.get(get), "browser");
    }

    /**
     * <pre>
     * map $connect_host $destination {
     *     hostnames;
     *     default        other;
     *     example.org    partner;
     *     .example.com   internal;
     *     *.cdn.example  cdn;
     *     ~^api\.        api;
     * }
     * </pre>
     */
    private static MapVariable<Request> hostMap(VariableTable<Request> table) {
        MapVariable.Builder<Request> map = new MapVariable.Builder<>(ComplexValue.compile("$connect_host", table, "b"));
        map.hostnames();
        map.defaultValue(ComplexValue.constant("other"));
        map.key("example.org", ComplexValue.constant("partner"));
        map.key(".example.com", ComplexValue.constant("internal"));
        map.key("*.cdn.example", ComplexValue.constant("cdn"));
        map.regex(Regex.compile("^api\\.", false, table), ComplexValue.constant("api"));
        return map.build();
    }

    /**
     * <pre>
     * map $http_user_agent $client_kind {
     *     default     browser;
     *     ~*^curl/    tool;
     *     ~*wget      tool;
     * }
     * </pre>
     */
    private static MapVariable<Request> agentMap(VariableTable<Request> table) {
        MapVariable.Builder<Request> map = new MapVariable.Builder<>(
                ComplexValue.compile("$http_user_agent", table, "b"));
        map.defaultValue(ComplexValue.constant("browser"));
        map.regex(Regex.compile("^curl/", true, table), ComplexValue.constant("tool"));
        map.regex(Regex.compile("wget", true, table), ComplexValue.constant("tool"));
        return map.build();
    }

    private static void check(String actual, String expected) {
        if (!expected.equals(actual)) {
            throw new IllegalStateException("expected " + expected + ", got " + actual);
        }
    }

    @TearDown
    public void tearDown() {
        proxy.close();
    }

    /** {@code $host:$request_uri} of the absolute-form GET. */
    @Benchmark
    public String hostRequestUri() {
        return hostUri.evaluate(get);
    }

    /** {@code $connect_host:$connect_port} of the CONNECT. */
    @Benchmark
    public String connectHostPort() {
        return connectHostPort.evaluate(connect);
    }

    /** {@code $http_user_agent} of the GET: a header by a name given in the config. */
    @Benchmark
    public String httpUserAgent() {
        return userAgent.evaluate(get);
    }

    /** A {@code hostnames} map on {@code $connect_host}, found by a leading wildcard. */
    @Benchmark
    public String mapHostnames() {
        return hostMap.get(connect);
    }

    /** A map on {@code $http_user_agent} whose regexes all miss: the default. */
    @Benchmark
    public String mapRegexDefault() {
        return agentMap.get(get);
    }
}
